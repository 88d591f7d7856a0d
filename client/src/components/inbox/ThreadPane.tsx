// The open conversation: header with actions, live message list, composer, and the contact panel beside it
// (wide screens), as a drawer from the header's Contact button (768–1180 px) or as a stacked view with a back
// button (phones). Mounted with key=conversationId so nothing of one conversation leaks into the next. Must never
// render customer text as HTML (all children render React text).
import { useState } from 'react';
import type { ChannelKind, Conversation, SessionUser } from '../../../../shared/src/index.js';
import { useThread } from '../../hooks/useThread.js';
import { Composer } from './Composer.js';
import { ContactPanel } from './ContactPanel.js';
import { MessageList } from './MessageList.js';
import { ThreadHeader } from './ThreadHeader.js';

interface Props {
  conversationId: string;
  user: SessionUser;
  channelName(id: string): string;
  channelKind(id: string): ChannelKind | undefined;
  onConversation(conversation: Conversation): void;
}

export function ThreadPane(props: Props) {
  const thread = useThread(props.conversationId, props.user.name, props.onConversation);
  const [contactOpen, setContactOpen] = useState(false);
  const c = thread.conversation;

  if (thread.status === 'loading' && !c) {
    return (
      <section className="thread thread-placeholder" aria-busy="true">
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading conversation…
        </p>
      </section>
    );
  }
  if (thread.status === 'error' || !c) {
    return (
      <section className="thread thread-placeholder">
        <div className="inline-error" role="alert">
          <p>Could not open this conversation: {thread.error ?? 'not found'}</p>
          <button type="button" className="btn" onClick={thread.retry}>
            Try again
          </button>
        </div>
      </section>
    );
  }

  const channelName = props.channelName(c.channel);
  return (
    <>
      <section className="thread" aria-label="Conversation" data-testid="thread" data-conversation-id={c.id}>
        <ThreadHeader
          conversation={c}
          user={props.user}
          channelName={channelName}
          onChanged={thread.setConversation}
          contactOpen={contactOpen}
          onContact={() => setContactOpen((o) => !o)}
        />
        <MessageList
          messages={thread.messages}
          hasOlder={thread.hasOlder}
          loadingOlder={thread.loadingOlder}
          onLoadOlder={thread.loadOlder}
          typing={thread.typing}
        />
        {c.status === 'closed' ? (
          <div className="composer-closed muted">This conversation is closed. Reopen it to reply.</div>
        ) : (
          <Composer conversation={c} channelKind={props.channelKind(c.channel)} onSent={thread.addMessage} />
        )}
      </section>
      {contactOpen ? (
        <div className="drawer-backdrop" aria-hidden="true" onClick={() => setContactOpen(false)} />
      ) : null}
      <ContactPanel
        conversation={c}
        channelName={channelName}
        open={contactOpen}
        onClose={() => setContactOpen(false)}
      />
    </>
  );
}
