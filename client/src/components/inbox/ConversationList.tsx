// The inbox's left pane: Mine / Unassigned / All tabs, channel + status + label filters, debounced search, the live
// list of conversations (newest activity first, masked last-message preview, unread badges, "Ad" / "Link" chips,
// label chips), bulk selection and "Load more". Customer names, handles and previews are rendered as React text.
// Must never show a conversation the API or the socket did not deliver.
import { useState, type ReactNode } from 'react';
import type { Channel, Conversation } from '../../../../shared/src/index.js';
import type { ConversationFilters } from '../../api/inbox.js';
import { formatDateTime, formatShortAgo } from '../../format.js';
import { hrefFor } from '../../hooks/useHashRoute.js';
import type { ConversationListState } from '../../hooks/useConversationList.js';
import { useNow } from '../../hooks/useNow.js';
import { labelsOf, useLabels } from '../../hooks/useLabels.js';
import type { Label } from '../../../../shared/src/index.js';
import { BulkBar } from './BulkBar.js';
import { LabelChips } from './LabelChips.js';
import { MessageText } from './MessageText.js';

export type InboxTab = 'mine' | 'unassigned' | 'all';
export const TAB_LABELS: Record<InboxTab, string> = { mine: 'Mine', unassigned: 'Unassigned', all: 'All' };

export interface ListControls {
  tab: InboxTab;
  status: ConversationFilters['status'] | '';
  channel: string;
  label: string;
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
  /** Bulk actions are offered (the user may reply). */
  canBulk: boolean;
  myId: string;
}

function emptyMessage(c: ListControls): string {
  const unassigned = c.tab === 'unassigned' ? 'unassigned ' : '';
  const parts = [`No ${c.status ? `${c.status} ` : ''}${unassigned}conversations`];
  if (c.tab === 'mine') parts.push('assigned to you');
  if (c.channel) parts.push('in this channel');
  if (c.label) parts.push('with this label');
  if (c.search.trim()) parts.push(`matching “${c.search.trim()}”`);
  return `${parts.join(' ')}.`;
}

function SourceChip(props: { c: Conversation }) {
  const a = props.c.attribution;
  if (!a || a.source === 'organic') return null;
  if (a.source === 'link')
    return (
      <span className="chip chip-link" title="Started from a tracked link" data-testid="source-chip">
        Link
      </span>
    );
  return (
    <span className="chip chip-ad" title={a.headline ?? 'Started from an ad'} data-testid="source-chip">
      Ad
    </span>
  );
}

function Row(props: {
  c: Conversation;
  selected: boolean;
  channelName: string;
  now: number;
  labels: Label[];
  checked: boolean | null;
  onCheck(on: boolean): void;
}) {
  const { c } = props;
  const unread = c.unreadCount > 0;
  const name = c.contact.displayName ?? c.contact.handle;
  return (
    <li className="conv-item">
      {props.checked !== null ? (
        <input
          type="checkbox"
          className="conv-check"
          aria-label={`Select ${name}`}
          checked={props.checked}
          onChange={(e) => props.onCheck(e.target.checked)}
        />
      ) : null}
      <a
        className={`conv-row${props.selected ? ' conv-row-selected' : ''}${unread ? ' conv-row-unread' : ''}`}
        href={hrefFor(`/inbox/${c.id}`)}
        aria-current={props.selected ? 'true' : undefined}
        data-conversation-id={c.id}
        data-testid="conversation-row"
      >
        <span className="conv-row-top">
          <span className="conv-name">{name}</span>
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
        {c.lastMessagePreview ? (
          <span className="conv-preview" data-testid="conversation-preview">
            <MessageText text={c.lastMessagePreview} />
          </span>
        ) : null}
        <span className="conv-row-meta">
          <span className="conv-channel">{props.channelName}</span>
          <SourceChip c={c} />
          <LabelChips labels={props.labels} />
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
  const labels = useLabels();
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const shownIds = new Set(list.items.map((c) => c.id));
  const picked = [...checked].filter((id) => shownIds.has(id));
  const check = (id: string, on: boolean) =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const set = (patch: Partial<ListControls>) => props.onControls({ ...controls, ...patch });
  // The honest "nothing yet" hint only when nothing narrows the list (open is the default status).
  const narrowed =
    controls.tab !== 'all' ||
    controls.channel !== '' ||
    controls.label !== '' ||
    controls.search.trim() !== '' ||
    (controls.status !== 'open' && controls.status !== '');

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
              labels={labelsOf(c.labels, labels.byId)}
              checked={props.canBulk ? checked.has(c.id) : null}
              onCheck={(on) => check(c.id, on)}
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
            <option value="snoozed">Snoozed</option>
            <option value="closed">Closed</option>
          </select>
          <select
            aria-label="Filter by label"
            value={controls.label}
            onChange={(e) => set({ label: e.target.value })}
            disabled={labels.labels.length === 0}
          >
            <option value="">Any label</option>
            {labels.labels.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {picked.length > 0 ? (
        <BulkBar ids={picked} labels={labels.labels} myId={props.myId} onDone={() => setChecked(new Set())} />
      ) : null}
      <div className="conv-list-body">{body}</div>
    </section>
  );
}
