// Inbox section placeholder until channel support lands. Must never show sample conversations.
import { EmptyState } from '../components/EmptyState.js';

export function InboxPage() {
  return (
    <>
      <header className="page-header">
        <h1>Inbox</h1>
      </header>
      <EmptyState title="No conversations yet" icon="✉">
        <p>The inbox arrives with channel support.</p>
        <p className="muted">
          Once a WhatsApp or Messenger channel is connected, customer conversations will appear here in real time.
        </p>
      </EmptyState>
    </>
  );
}
