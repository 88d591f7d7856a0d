// The thread header: who the customer is (handle, name), channel, status, labels and assignee, and the actions —
// Claim, Assign/Transfer, Unassign, Labels, Snooze, Pending, Close, Reopen; on narrow screens a back button to the list and the Contact
// button that opens the contact panel. Must never offer an action the role lacks (the server checks
// again) and must never show the real phone number (only the masked one the API sends).
import { useEffect, useState } from 'react';
import { roleCan, type Assignee, type Conversation, type SessionUser } from '../../../../shared/src/index.js';
import { api } from '../../api/client.js';
import { hrefFor } from '../../hooks/useHashRoute.js';
import { inboxApi } from '../../api/inbox.js';
import { showToast } from '../../toast-store.js';
import { AssignDialog } from './AssignDialog.js';
import { labelsApi } from '../../api/labels.js';
import { formatDateTime } from '../../format.js';
import { labelsOf, reloadLabels, useLabels } from '../../hooks/useLabels.js';
import { LabelChips } from './LabelChips.js';
import { LabelDialog } from './LabelDialog.js';
import { SnoozeDialog } from './SnoozeDialog.js';

interface Props {
  conversation: Conversation;
  user: SessionUser;
  channelName: string;
  onChanged(conversation: Conversation): void;
  /** Whether the contact panel is open as a drawer / stacked view (narrow screens). */
  contactOpen: boolean;
  onContact(): void;
}

/** Teammates this conversation can be given to: all eligible users for user managers, else the server's list. */
function useCandidates(conversation: Conversation, user: SessionUser) {
  const [candidates, setCandidates] = useState<Assignee[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { id, channel } = conversation;
  const manager = roleCan(user.role, 'users:manage');

  useEffect(() => {
    let cancelled = false;
    const load = manager
      ? api.listUsers().then((users) =>
          users
            .filter((u) => u.active && roleCan(u.role, 'conversations:reply'))
            .filter((u) => roleCan(u.role, 'conversations:read_all') || u.channelIds.includes(channel))
            .map((u) => ({ id: u.id, name: u.name, role: u.role })),
        )
      : inboxApi.listAssignees(id);
    load.then(
      (items) => !cancelled && setCandidates(items),
      (err: Error) => !cancelled && setError(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [id, channel, manager]);

  return { candidates, error };
}

export function ThreadHeader(props: Props) {
  const { conversation: c, user } = props;
  const [busy, setBusy] = useState<string | null>(null);
  const [assigning, setAssigning] = useState(false);
  const [dialog, setDialog] = useState<'labels' | 'snooze' | null>(null);
  const labels = useLabels();
  const canReply = roleCan(user.role, 'conversations:reply');
  const { candidates, error } = useCandidates(c, user);
  const canAssign = roleCan(user.role, 'conversations:assign');
  const mine = c.assignee === user.id;

  let assigneeText = 'Unassigned';
  if (mine) assigneeText = 'Assigned to you';
  else if (c.assignee) {
    const name = candidates?.find((u) => u.id === c.assignee)?.name;
    assigneeText = name ? `Assigned to ${name}` : 'Assigned to a teammate';
  }

  async function run(label: string, action: () => Promise<Conversation>, done: string): Promise<void> {
    setBusy(label);
    try {
      const updated = await action();
      props.onChanged(updated);
      showToast('success', done);
      setAssigning(false);
      if (label === 'snooze') setDialog(null);
    } catch {
      // The API client showed the server's message.
    } finally {
      setBusy(null);
    }
  }

  const assignTo = (userId: string) => {
    const name = candidates?.find((u) => u.id === userId)?.name ?? 'teammate';
    void run(
      'assign',
      () => inboxApi.assign(c.id, userId),
      userId === user.id ? 'Assigned to you' : `Assigned to ${name}`,
    );
  };

  return (
    <header className="thread-head">
      <a className="btn btn-small btn-ghost thread-back" href={hrefFor('/inbox')} aria-label="Back to conversations">
        ← <span>Conversations</span>
      </a>
      <div className="thread-who">
        <h2 className="thread-name" data-testid="thread-title">
          {c.contact.displayName ?? c.contact.handle}
        </h2>
        <div className="thread-sub">
          {c.contact.displayName ? <span>{c.contact.handle}</span> : null}
          {(c.contact.maskedPhone ?? c.contact.maskedUsername) ? (
            <span>{c.contact.maskedPhone ?? c.contact.maskedUsername}</span>
          ) : null}
          <span>{props.channelName}</span>
          <span
            className={`chip chip-status-${c.status}`}
            data-testid="thread-status"
            title={c.snoozedUntil ? `Until ${formatDateTime(c.snoozedUntil)}` : undefined}
          >
            {c.status}
          </span>
          {c.snoozedUntil ? (
            <span data-testid="thread-snoozed-until">until {formatDateTime(c.snoozedUntil)}</span>
          ) : null}
          <LabelChips labels={labelsOf(c.labels, labels.byId)} />
          <span data-testid="thread-assignee">{assigneeText}</span>
        </div>
      </div>
      <div className="thread-actions">
        <button
          type="button"
          className="btn btn-small thread-contact-toggle"
          aria-expanded={props.contactOpen}
          aria-controls="contact-panel"
          onClick={props.onContact}
        >
          Contact
        </button>
        {canAssign && !mine && c.status !== 'closed' ? (
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={busy !== null}
            onClick={() => assignTo(user.id)}
          >
            {busy === 'assign' && !assigning ? 'Claiming…' : 'Claim'}
          </button>
        ) : null}
        {canAssign ? (
          <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => setAssigning(true)}>
            {c.assignee ? 'Transfer…' : 'Assign…'}
          </button>
        ) : null}
        {canAssign && c.assignee ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={busy !== null}
            onClick={() => void run('unassign', () => inboxApi.assign(c.id, null), 'Unassigned')}
          >
            Unassign
          </button>
        ) : null}
        {canReply ? (
          <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => setDialog('labels')}>
            Labels…
          </button>
        ) : null}
        {canReply && c.status !== 'closed' && c.status !== 'snoozed' ? (
          <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => setDialog('snooze')}>
            Snooze…
          </button>
        ) : null}
        {canReply && c.status === 'open' ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={busy !== null}
            onClick={() => void run('pending', () => labelsApi.pending(c.id), 'Marked pending')}
          >
            Pending
          </button>
        ) : null}
        {c.status === 'closed' || c.status === 'snoozed' || c.status === 'pending' ? (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy !== null}
            onClick={() => void run('reopen', () => inboxApi.reopen(c.id), 'Conversation reopened')}
          >
            {busy === 'reopen' ? 'Reopening…' : 'Reopen'}
          </button>
        ) : null}
        {c.status !== 'closed' ? (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy !== null}
            onClick={() => void run('close', () => inboxApi.close(c.id), 'Conversation closed')}
          >
            {busy === 'close' ? 'Closing…' : 'Close'}
          </button>
        ) : null}
      </div>
      {assigning ? (
        <AssignDialog
          candidates={candidates}
          error={error}
          currentAssignee={c.assignee}
          myId={user.id}
          busy={busy === 'assign'}
          onAssign={assignTo}
          onCancel={() => setAssigning(false)}
        />
      ) : null}
      {dialog === 'snooze' ? (
        <SnoozeDialog
          busy={busy === 'snooze'}
          onCancel={() => setDialog(null)}
          onSnooze={(until) =>
            void run(
              'snooze',
              () => labelsApi.snooze(c.id, until),
              `Snoozed until ${formatDateTime(until.toISOString())}`,
            )
          }
        />
      ) : null}
      {dialog === 'labels' ? (
        <LabelDialog
          labels={labels.labels}
          selected={c.labels}
          canManage={roleCan(user.role, 'labels:manage')}
          busy={busy !== null}
          onToggle={(id, on) =>
            void run(
              'labels',
              () => labelsApi.change(c.id, on ? { add: [id] } : { remove: [id] }),
              on ? 'Label added' : 'Label removed',
            )
          }
          onCreate={async (name, color) => {
            try {
              await labelsApi.create(name, color);
              await reloadLabels();
            } catch {
              // The API client showed the server's message.
            }
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </header>
  );
}
