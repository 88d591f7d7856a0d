// Supervision → Audit trail: search by actor, action and date range (newest first, "Load more" by cursor), and
// for admins a "Verify chain" button that checks the whole hash chain on the server. Renders entries as text
// only. Must never offer to edit or delete an entry.
import { useState } from 'react';
import type { AuditEntry, AuditVerifyResponse } from '../../../../shared/src/index.js';
import { protectionApi, type AuditFilters } from '../../api/protection.js';
import { formatDateTime } from '../../format.js';
import { useResource } from '../../hooks/useResource.js';
import { AdminCard } from '../admin/AdminListPage.js';
import { LoadErrorNote, LoadState } from '../admin/LoadState.js';

const ACTIONS = [
  '',
  'auth.login',
  'auth.login_failed',
  'message.',
  'message.sent',
  'message.held',
  'message.blocked',
  'review.',
  'contact.revealed',
  'contact.exported',
  'contact.erased',
  'consent.',
  'user.',
  'channel.',
  'integration.',
];

function summary(e: AuditEntry): string {
  const d = e.details ?? {};
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    parts.push(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return parts.join(' · ');
}

/** `refreshKey`: bumped by the page after a review decision, so the new entries show without a reload. */
export function AuditSearch(props: { canVerify: boolean; refreshKey?: number }) {
  const [filters, setFilters] = useState<AuditFilters>({});
  const [draft, setDraft] = useState<AuditFilters>({});
  // Newest first; "Load more" appends the next page. A failed load keeps the entries shown, with the error above.
  const trail = useResource(() => protectionApi.audit(filters), `${JSON.stringify(filters)}|${props.refreshKey ?? 0}`);
  const [verify, setVerify] = useState<AuditVerifyResponse | 'running' | null>(null);

  const next = trail.data?.nextCursor ?? null;
  const loadMore = (cursor: string) =>
    trail.extend(protectionApi.audit({ ...filters, cursor }), (shown, page) => ({
      items: [...shown.items, ...page.items],
      nextCursor: page.nextCursor,
    }));

  const runVerify = async () => {
    setVerify('running');
    try {
      setVerify(await protectionApi.verify());
    } catch {
      setVerify(null);
    }
  };

  return (
    <AdminCard
      title="Audit trail"
      label="Audit trail"
      testId="audit-search"
      meta={
        props.canVerify ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void runVerify()}
            disabled={verify === 'running'}
          >
            {verify === 'running' ? 'Verifying…' : 'Verify chain'}
          </button>
        ) : null
      }
    >
      {verify && verify !== 'running' ? (
        <p role="status" className={verify.ok ? 'chip chip-ok' : 'inline-error'} data-testid="verify-result">
          {verify.ok
            ? `Chain intact: ${verify.entries} entries verified.`
            : `Chain broken at entry ${verify.firstBadEntry?.seq ?? '?'}: ${verify.firstBadEntry?.reason ?? 'unknown'}.`}
        </p>
      ) : null}
      <form
        className="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ ...draft });
        }}
      >
        <label className="field">
          <span className="field-label">Actor (name, email or id)</span>
          <input
            name="actor"
            value={draft.actor ?? ''}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">Action</span>
          <select
            name="action"
            value={draft.action ?? ''}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a === '' ? 'Any' : a.endsWith('.') ? `${a}*` : a}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">From</span>
          <input
            type="date"
            name="from"
            value={draft.from ?? ''}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">To</span>
          <input
            type="date"
            name="to"
            value={draft.to ?? ''}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            Search
          </button>
        </div>
      </form>
      <LoadErrorNote what="the audit trail" message={trail.error} />
      <LoadState
        data={trail.data?.items ?? null}
        isEmpty={(items) => items.length === 0}
        empty={<p className="muted">No entries match.</p>}
      >
        {(items) => (
          <div className="table-wrap">
            <table className="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>When</th>
                  <th>Who</th>
                  <th>Action</th>
                  <th>Target</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id}>
                    <td className="cell-mono">{e.seq}</td>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{e.actor.name ?? e.actor.id ?? e.actor.type}</td>
                    <td className="cell-mono">{e.action}</td>
                    <td className="cell-mono">{e.target.type ? `${e.target.type} ${e.target.id ?? ''}` : ''}</td>
                    <td className="cell-text">{summary(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadState>
      {next ? (
        <button type="button" className="btn" onClick={() => loadMore(next)}>
          Load more
        </button>
      ) : null}
    </AdminCard>
  );
}
