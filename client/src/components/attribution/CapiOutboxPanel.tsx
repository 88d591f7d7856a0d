// Dashboard → Conversions API (admins): the outbox of events reported to Meta by state, with dead letters and a
// retry button. Shows event names, ids, attempts and errors only — never click ids, PSIDs or contact data.
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { CapiOutboxItemSchema, type CapiOutboxItem } from '../../../../shared/src/index.js';
import { request } from '../../api/client.js';
import { formatDateTime } from '../../format.js';
import { showToast } from '../../toast-store.js';

const ListSchema = z.object({ enabled: z.boolean(), items: z.array(CapiOutboxItemSchema) });
const STATES = ['dead', 'pending', 'sent', 'skipped'] as const;

export function CapiOutboxPanel() {
  const [state, setState] = useState<(typeof STATES)[number]>('dead');
  const [data, setData] = useState<{ enabled: boolean; items: CapiOutboxItem[] } | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    void request('GET', `/api/capi/outbox?state=${state}`, undefined, ListSchema).then(
      (d) => live && setData(d),
      () => live && setData({ enabled: false, items: [] }),
    );
    return () => {
      live = false;
    };
  }, [state, reload]);

  async function retry(id: string) {
    try {
      await request('POST', `/api/capi/outbox/${encodeURIComponent(id)}/retry`, undefined, null);
      showToast('success', 'Queued again');
      setReload((n) => n + 1);
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
      {data?.items.length === 0 ? <p className="muted">No {state} events.</p> : null}
      {data?.items.length ? (
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
            {data.items.map((i) => (
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
      ) : null}
    </section>
  );
}
