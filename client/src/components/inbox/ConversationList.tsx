// The inbox's left pane: Mine / Unassigned / All tabs, channel + status filters, debounced search, the live
// list of conversations (newest activity first, unread badges, "Ad" chips) and "Load more". Customer names and
// handles are rendered as React text. Must never show a conversation the API or the socket did not deliver.
import type { ReactNode } from 'react';
import type { Channel, Conversation } from '../../../../shared/src/index.js';
import type { ConversationFilters } from '../../api/inbox.js';
import { formatDateTime, formatShortAgo } from '../../format.js';
import { hrefFor } from '../../hooks/useHashRoute.js';
import type { ConversationListState } from '../../hooks/useConversationList.js';
import { useNow } from '../../hooks/useNow.js';

export type InboxTab = 'mine' | 'unassigned' | 'all';
export const TAB_LABELS: Record<InboxTab, string> = { mine: 'Mine', unassigned: 'Unassigned', all: 'All' };

export interface ListControls {
  tab: InboxTab;
  status: ConversationFilters['status'] | '';
  channel: string;
  search: string;
}

interface Props {
  controls: ListControls;
  onControls(next: ListControls): void;
  list: ConversationListState;
  channels: readonly Channel[];
  channelName(id: string): string;
  selectedId: string | null;
  emptyHint: ReactNode;
}

function emptyMessage(c: ListControls): string {
  const unassigned = c.tab === 'unassigned' ? 'unassigned ' : '';
  const parts = [`No ${c.status ? `${c.status} ` : ''}${unassigned}conversations`];
  if (c.tab === 'mine') parts.push('assigned to you');
  if (c.channel) parts.push('in this channel');
  if (c.search.trim()) parts.push(`matching “${c.search.trim()}”`);
  return `${parts.join(' ')}.`;
}

function Row(props: { c: Conversation; selected: boolean; channelName: string; now: number }) {
  const { c } = props;
  const unread = c.unreadCount > 0;
  return (
    <li>
      <a
        className={`conv-row${props.selected ? ' conv-row-selected' : ''}${unread ? ' conv-row-unread' : ''}`}
        href={hrefFor(`/inbox/${c.id}`)}
        aria-current={props.selected ? 'true' : undefined}
        data-conversation-id={c.id}
        data-testid="conversation-row"
      >
        <span className="conv-row-top">
          <span className="conv-name">{c.contact.displayName ?? c.contact.handle}</span>
          <time className="conv-time" dateTime={c.lastMessageAt ?? undefined} title={formatDateTime(c.lastMessageAt)}>
            {formatShortAgo(c.lastMessageAt, props.now)}
          </time>
        </span>
        <span className="conv-row-sub">
          {c.contact.displayName ? <span className="conv-handle">{c.contact.handle}</span> : null}
          {(c.contact.maskedPhone ?? c.contact.maskedUsername) ? (
            <span className="conv-phone">{c.contact.maskedPhone ?? c.contact.maskedUsername}</span>
          ) : null}
        </span>
        <span className="conv-row-meta">
          <span className="conv-channel">{props.channelName}</span>
          {c.attribution && c.attribution.source !== 'organic' ? (
            <span className="chip chip-ad" title={c.attribution.headline ?? 'Started from an ad'}>
              Ad
            </span>
          ) : null}
          {c.status !== 'open' ? <span className={`chip chip-status-${c.status}`}>{c.status}</span> : null}
          {unread ? (
            <span className="badge" aria-label={`${c.unreadCount} unread`} data-testid="unread-badge">
              {c.unreadCount > 99 ? '99+' : c.unreadCount}
            </span>
          ) : null}
        </span>
      </a>
    </li>
  );
}

export function ConversationList(props: Props) {
  const { controls, list } = props;
  const now = useNow(30_000);
  const set = (patch: Partial<ListControls>) => props.onControls({ ...controls, ...patch });
  // The honest "nothing yet" hint only when nothing narrows the list (open is the default status).
  const narrowed =
    controls.tab !== 'all' || controls.channel !== '' || controls.search.trim() !== '' || controls.status === 'closed';

  let body;
  if (list.status === 'loading') {
    body = (
      <p className="conv-list-note muted" role="status">
        <span className="spinner" aria-hidden="true" /> Loading conversations…
      </p>
    );
  } else if (list.status === 'error') {
    body = (
      <div className="conv-list-note" role="alert">
        <p className="field-error">Could not load conversations: {list.error}</p>
        <button type="button" className="btn btn-small" onClick={list.retry}>
          Try again
        </button>
      </div>
    );
  } else if (list.items.length === 0) {
    body = (
      <div className="conv-list-note muted" data-testid="conversation-list-empty">
        {narrowed ? <p>{emptyMessage(controls)}</p> : props.emptyHint}
      </div>
    );
  } else {
    body = (
      <>
        <ul className="conv-rows" aria-label="Conversations">
          {list.items.map((c) => (
            <Row
              key={c.id}
              c={c}
              selected={c.id === props.selectedId}
              channelName={props.channelName(c.channel)}
              now={now}
            />
          ))}
        </ul>
        {list.nextCursor ? (
          <div className="conv-more">
            <button type="button" className="btn btn-small" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </>
    );
  }

  return (
    <section className="conv-list" aria-label="Conversation list">
      <div className="conv-list-head">
        <div className="segmented" role="tablist" aria-label="Assignment">
          {(Object.keys(TAB_LABELS) as InboxTab[]).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={controls.tab === t}
              className={controls.tab === t ? 'segmented-on' : undefined}
              onClick={() => set({ tab: t })}
            >
              {TAB_LABELS[t]}
            </button>
          ))}
        </div>
        <input
          type="search"
          className="conv-search"
          placeholder="Search handle, name…"
          aria-label="Search conversations"
          maxLength={100}
          value={controls.search}
          onChange={(e) => set({ search: e.target.value })}
        />
        <div className="conv-filters">
          <select
            aria-label="Filter by channel"
            value={controls.channel}
            onChange={(e) => set({ channel: e.target.value })}
            disabled={props.channels.length === 0}
          >
            <option value="">All channels</option>
            {props.channels.map((ch) => (
              <option key={ch.id} value={ch.id}>
                {ch.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by status"
            value={controls.status}
            onChange={(e) => set({ status: e.target.value as ListControls['status'] })}
          >
            <option value="">Any status</option>
            <option value="open">Open</option>
            <option value="pending">Pending</option>
            <option value="closed">Closed</option>
          </select>
        </div>
      </div>
      <div className="conv-list-body">{body}</div>
    </section>
  );
}
