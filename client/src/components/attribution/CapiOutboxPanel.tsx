// Dashboard → Conversions API (admins): the outbox of events reported to Meta by state, with dead letters and a
// retry button. Shows event names, ids, attempts and errors only — never click ids, PSIDs or contact data.
import { useState } from 'react';
import { CapiOutboxListResponseSchema, type CapiOutboxListResponse } from '../../../../shared/src/index.js';
import { request } from '../../api/client.js';
import { formatDateTime } from '../../format.js';
import { useResource } from '../../hooks/useResource.js';
import { showToast } from '../../toast-store.js';
import { LoadState } from '../admin/LoadState.js';

const STATES = ['dead', 'pending', 'sent', 'skipped'] as const;

export function CapiOutboxPanel() {
  const [state, setState] = useState<(typeof STATES)[number]>('dead');
  // A failed load reads as "reporting off, no events" (the API client showed the error).
  const outbox = useResource<CapiOutboxListResponse>(
    () =>
      request('GET', `/api/capi/outbox?state=${state}`, undefined, CapiOutboxListResponseSchema).catch(() => ({
        enabled: false,
        items: [],
      })),
    state,
  );
  const data = outbox.data;

  async function retry(id: string) {
    try {
      await request('POST', `/api/capi/outbox/${encodeURIComponent(id)}/retry`, undefined, null);
      showToast('success', 'Queued again');
      outbox.reload();
    } catch {
      /* toast shown by the API client */
    }
  }

  return (
    <section aria-label="Conversions API outbox">
      {data && !data.enabled ? (
        <p className="muted">Conversion reporting is off: set CAPI_DATASET_ID and CAPI_ACCESS_TOKEN to turn it on.</p>
      ) : null}
      <div className="inline-form">
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.target.value as (typeof STATES)[number])}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <LoadState
        data={data?.items ?? null}
        isEmpty={(items) => items.length === 0}
        empty={<p className="muted">No {state} events.</p>}
      >
        {(items) => (
          <table className="table" data-testid="capi-outbox">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Created</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last error</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    {i.eventName} <span className="cell-mono muted">{i.eventId.slice(0, 12)}…</span>
                  </td>
                  <td>{formatDateTime(i.createdAt)}</td>
                  <td className="num">{i.attempts}</td>
                  <td>{i.lastError ?? '—'}</td>
                  <td>
                    {i.state === 'dead' ? (
                      <button type="button" className="btn btn-small" onClick={() => void retry(i.id)}>
                        Retry
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadState>
    </section>
  );
}
