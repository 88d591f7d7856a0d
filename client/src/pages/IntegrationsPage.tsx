// Admin → Integrations (approved senders): create an integration (its bearer token is shown once, to copy now),
// approve it (its held messages are released through the outbound guard) or revoke it. Must never keep the token
// after the admin dismisses it, and never store it in web storage.
import { useState } from 'react';
import type { Integration } from '../../../shared/src/index.js';
import { protectionApi } from '../api/protection.js';
import { AdminListPage } from '../components/admin/AdminListPage.js';
import { OneTimeToken } from '../components/admin/OneTimeToken.js';
import { formatDateTime } from '../format.js';
import { useResource } from '../hooks/useResource.js';
import { showToast } from '../toast-store.js';

export function IntegrationsPage() {
  // A failed load shows an empty list (the API client showed the error).
  const integrations = useResource<Integration[]>(() =>
    protectionApi.integrations().then(
      (r) => r.items,
      () => [],
    ),
  );
  const [name, setName] = useState('');
  const [token, setToken] = useState<{ name: string; token: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await protectionApi.createIntegration(name.trim());
      setToken({ name: r.integration.name, token: r.token });
      setName('');
      integrations.reload();
    } finally {
      setBusy(false);
    }
  };
  const approve = async (i: Integration) => {
    const r = await protectionApi.approveIntegration(i.id);
    showToast(
      'info',
      `${i.name} approved: ${r.released} held message(s) sent${r.refused ? `, ${r.refused} refused by the guard` : ''}.`,
    );
    integrations.reload();
  };
  const revoke = async (i: Integration) => {
    await protectionApi.revokeIntegration(i.id);
    showToast('info', `${i.name} revoked: its token no longer works.`);
    integrations.reload();
  };

  return (
    <AdminListPage
      list={{
        title: 'Integrations',
        label: 'Integrations',
        intro: (
          <p className="muted">
            Outside systems send through <code>POST /api/v1/messages</code> with their bearer token. Until you approve
            an integration its messages are held in the review queue; approved or not, every message passes the same
            outbound guard as agents.
          </p>
        ),
      }}
      load={{
        data: integrations.data,
        isEmpty: (items) => items.length === 0,
        empty: <p className="muted">No integrations yet.</p>,
        children: (items) => (
          <div className="table-wrap">
            <table className="table" data-testid="integrations-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>State</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.name}</td>
                    <td>
                      <span className="chip">
                        {i.revoked ? 'Revoked' : i.approved ? 'Approved' : 'Waiting for approval'}
                      </span>
                    </td>
                    <td>{formatDateTime(i.createdAt)}</td>
                    <td>{formatDateTime(i.lastUsedAt, 'Never')}</td>
                    <td className="cell-actions">
                      {!i.approved && !i.revoked ? (
                        <button type="button" className="btn btn-small btn-primary" onClick={() => void approve(i)}>
                          Approve
                        </button>
                      ) : null}
                      {!i.revoked ? (
                        <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => void revoke(i)}>
                          Revoke
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ),
      }}
      side={{
        title: 'New integration',
        label: 'New integration',
        children: (
          <>
            {token ? <OneTimeToken name={token.name} value={token.token} onDismiss={() => setToken(null)} /> : null}
            <form className="form" onSubmit={(e) => void create(e)}>
              <label className="field">
                <span className="field-label">Name</span>
                <input
                  required
                  maxLength={80}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="e.g. Carrier tracking updates"
                />
              </label>
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
                  Create
                </button>
              </div>
            </form>
          </>
        ),
      }}
    />
  );
}
