// Supervision → Review queue: held outbound messages (from unapproved integrations or the content guard) and
// abuse reports. Approve sends a held message through the outbound guard (a refusal is shown with its reason);
// reject keeps it unsent with a note. Live: new items arrive over the socket (review:new). Renders customer and
// agent text inertly. Must never send anything itself.
import { useEffect, useState } from 'react';
import type { ReviewItem } from '../../../../shared/src/index.js';
import { protectionApi } from '../../api/protection.js';
import { useLive } from '../../hooks/useLiveConnection.js';
import { useResource } from '../../hooks/useResource.js';
import { AdminCard } from '../admin/AdminListPage.js';
import { LoadErrorNote, LoadState } from '../admin/LoadState.js';
import { formatDateTime } from '../../format.js';
import { showToast } from '../../toast-store.js';

export function ReviewQueue(props: { onDecided?(): void }) {
  const { socket } = useLive();
  // A failed refresh keeps the items shown, with the error above them.
  const queue = useResource(() => protectionApi.review().then((r) => r.items));
  const { reload } = queue;
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    socket.on('review:new', reload);
    return () => {
      socket.off('review:new', reload);
    };
  }, [reload, socket]);

  const decide = async (item: ReviewItem, how: 'approve' | 'reject') => {
    setBusy(item.id);
    try {
      const note = notes[item.id]?.trim() || undefined;
      const r =
        how === 'approve' ? await protectionApi.approve(item.id, note) : await protectionApi.reject(item.id, note);
      if (r.refused) showToast('error', `Not sent — the guard refused it: ${r.refused.message}`);
      else
        showToast(
          'info',
          how === 'approve'
            ? item.type === 'held_message'
              ? 'Approved and sent.'
              : 'Report marked as actioned.'
            : 'Rejected.',
        );
      queue.set((items) => items.filter((i) => i.id !== item.id));
      props.onDecided?.(); // the decision is on the audit trail now
    } catch {
      // the API client already showed the error
    } finally {
      setBusy(null);
    }
  };

  return (
    <AdminCard
      title="Review queue"
      label="Review queue"
      testId="review-queue"
      meta={
        <button type="button" className="btn btn-small" onClick={reload}>
          Refresh
        </button>
      }
    >
      <LoadErrorNote what="the review queue" message={queue.error} />
      <LoadState
        data={queue.data}
        isEmpty={(items) => items.length === 0}
        empty={<p className="muted">Nothing waiting for review.</p>}
      >
        {(items) => (
          <ul className="review-list">
            {items.map((item) => (
              <li key={item.id} className="review-item" data-testid="review-item">
                <div className="review-meta">
                  <span className="chip">{item.type === 'held_message' ? 'Held message' : 'Abuse report'}</span>{' '}
                  <span className="muted">{formatDateTime(item.createdAt)}</span>
                  {item.contact ? <span className="muted"> · {item.contact.handle}</span> : null}
                  {item.sender ? (
                    <span className="muted">
                      {' '}
                      · from {item.sender.type === 'integration' ? 'integration' : 'agent'}{' '}
                      {item.sender.name ?? item.sender.id}
                    </span>
                  ) : null}
                </div>
                <p className="review-text">{item.text ?? <span className="muted">No text</span>}</p>
                {item.reason ? <p className="muted review-reason">{item.reason}</p> : null}
                <label className="field">
                  <span className="field-label">Note (optional)</span>
                  <input
                    value={notes[item.id] ?? ''}
                    maxLength={500}
                    onChange={(e) => setNotes({ ...notes, [item.id]: e.target.value })}
                  />
                </label>
                <div className="form-actions">
                  <button
                    type="button"
                    className="btn btn-primary btn-small"
                    disabled={busy === item.id}
                    onClick={() => void decide(item, 'approve')}
                  >
                    {item.type === 'held_message' ? 'Approve and send' : 'Mark actioned'}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger-ghost"
                    disabled={busy === item.id}
                    onClick={() => void decide(item, 'reject')}
                  >
                    {item.type === 'held_message' ? 'Reject' : 'Dismiss'}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </LoadState>
    </AdminCard>
  );
}
