// Inbox section: three panes — conversation list, open thread (#/inbox/<id>), contact panel — all live over
// the socket. Owns the list filters, which conversation is open, and the keyboard shortcuts (with their "?"
// sheet). Must never show sample conversations and must never show a conversation the server did not send to
// this user.
import { useCallback, useMemo, useState } from 'react';
import { roleCan, type Conversation, type SessionUser } from '../../../shared/src/index.js';
import type { ConversationFilters } from '../api/inbox.js';
import { ConversationList, type ListControls } from '../components/inbox/ConversationList.js';
import { ShortcutsHelp } from '../components/inbox/ShortcutsHelp.js';
import { ThreadPane } from '../components/inbox/ThreadPane.js';
import { useChannels } from '../hooks/useChannels.js';
import { useConversationList } from '../hooks/useConversationList.js';
import { hrefFor } from '../hooks/useHashRoute.js';
import { useInboxShortcuts } from '../hooks/useInboxShortcuts.js';
import { useDebounced } from '../hooks/useNow.js';

const DEFAULT_CONTROLS: ListControls = { tab: 'all', status: 'open', channel: '', label: '', search: '' };

function toFilters(c: ListControls, q: string): ConversationFilters {
  const filters: ConversationFilters = {};
  if (c.tab === 'mine') filters.assignee = 'me';
  if (c.tab === 'unassigned') filters.assignee = 'none';
  if (c.status) filters.status = c.status;
  if (c.channel) filters.channel = c.channel;
  if (c.label) filters.label = c.label;
  if (q.trim()) filters.q = q.trim();
  return filters;
}

export function selectedConversationId(path: string): string | null {
  const match = /^\/inbox\/([^/]+)$/.exec(path);
  return match ? decodeURIComponent(match[1]) : null;
}

function EmptyHint(props: { user: SessionUser; channelCount: number | null }) {
  if (roleCan(props.user.role, 'channels:manage')) {
    return (
      <div className="inbox-hint">
        <p className="inbox-hint-title">No conversations yet</p>
        <p>
          {props.channelCount === 0 ? 'There is no channel yet. ' : ''}
          Customer chats appear here the moment they write.{' '}
          {props.channelCount === 0 ? (
            <a href={hrefFor('/admin/channels')}>Add a channel</a>
          ) : (
            <a href={hrefFor('/admin/channels')}>Manage channels</a>
          )}
          , or open the <a href="/sandbox">sandbox phone</a> to write as a test customer.
        </p>
      </div>
    );
  }
  return (
    <div className="inbox-hint">
      <p className="inbox-hint-title">No conversations yet</p>
      <p>
        Conversations of the channels you are a member of appear here as soon as customers write. If you expected some,
        ask an administrator to add you to a channel.
      </p>
    </div>
  );
}

export function InboxPage(props: { user: SessionUser; path: string }) {
  const { user } = props;
  const selectedId = selectedConversationId(props.path);
  const [controls, setControls] = useState<ListControls>(DEFAULT_CONTROLS);
  const q = useDebounced(controls.search, 300);
  const filters = useMemo(() => toFilters(controls, q), [controls, q]);
  const list = useConversationList(filters, user.id);
  const channels = useChannels();
  const { upsert } = list;
  const [help, setHelp] = useState(false);
  const ids = useMemo(() => list.items.map((c) => c.id), [list.items]);
  useInboxShortcuts({ ids, selectedId, onHelp: () => setHelp(true) });

  const channelName = useCallback(
    (id: string) => channels.byId.get(id)?.name ?? (channels.status === 'loading' ? '…' : 'Channel'),
    [channels.byId, channels.status],
  );
  const channelKind = useCallback((id: string) => channels.byId.get(id)?.kind, [channels.byId]);
  const onConversation = useCallback((c: Conversation) => upsert(c), [upsert]);

  return (
    <div className="inbox" data-testid="inbox">
      <div className="inbox-list">
        <div className="inbox-title">
          <h1>Inbox</h1>
          {list.status === 'ready' ? (
            <span className="muted" data-testid="conversation-count">
              {list.items.length}
              {list.nextCursor ? '+' : ''} shown
            </span>
          ) : null}
          <button
            type="button"
            className="btn btn-ghost btn-small inbox-keys"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => setHelp(true)}
          >
            ?
          </button>
        </div>
        <ConversationList
          controls={controls}
          onControls={setControls}
          list={list}
          channels={channels.channels}
          channelName={channelName}
          selectedId={selectedId}
          canBulk={roleCan(user.role, 'conversations:reply')}
          myId={user.id}
          emptyHint={
            <EmptyHint user={user} channelCount={channels.status === 'ready' ? channels.channels.length : null} />
          }
        />
      </div>
      {selectedId ? (
        <ThreadPane
          key={selectedId}
          conversationId={selectedId}
          user={user}
          channelName={channelName}
          channelKind={channelKind}
          onConversation={onConversation}
        />
      ) : (
        <section className="thread thread-placeholder thread-none">
          <div className="thread-none-body">
            <div className="empty-icon" aria-hidden="true">
              ✉
            </div>
            <h2>No conversation selected</h2>
            <p className="muted">Pick a conversation on the left to read it and reply.</p>
          </div>
        </section>
      )}
      {help ? <ShortcutsHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
