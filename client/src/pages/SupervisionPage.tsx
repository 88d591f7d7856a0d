// Supervision placeholder until the review queue and audit search land. Must never show sample items.
import { EmptyState } from '../components/EmptyState.js';

export function SupervisionPage() {
  return (
    <>
      <header className="page-header">
        <h1>Supervision</h1>
      </header>
      <EmptyState title="Nothing to review" icon="◎">
        <p>The review queue and audit search arrive with messaging.</p>
        <p className="muted">Held messages, abuse reports and the audit trail will be listed here.</p>
      </EmptyState>
    </>
  );
}
