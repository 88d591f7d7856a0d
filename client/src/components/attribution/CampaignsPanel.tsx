// Dashboard → Campaigns: campaigns with their ads (auto-created ones marked), a form to add a campaign and one
// to add an ad to a campaign (for those who may manage campaigns). Must never show contact data.
import { useState, type FormEvent } from 'react';
import type { CampaignView } from '../../../../shared/src/index.js';
import { attributionApi } from '../../api/attribution.js';
import { useResource } from '../../hooks/useResource.js';
import { showToast } from '../../toast-store.js';
import { LoadState } from '../admin/LoadState.js';

function AddAd(props: { campaignId: string; onAdded(): void }) {
  const [name, setName] = useState('');
  const [externalId, setExternalId] = useState('');
  const [headline, setHeadline] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await attributionApi.createAd(props.campaignId, {
        name: name.trim(),
        ...(externalId.trim() ? { externalId: externalId.trim() } : {}),
        ...(headline.trim() ? { headline: headline.trim() } : {}),
      });
      setName('');
      setExternalId('');
      setHeadline('');
      props.onAdded();
    } catch {
      /* toast shown by the API client */
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add ad">
      <input
        aria-label="Ad name"
        placeholder="Ad name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        maxLength={120}
      />
      <input
        aria-label="Meta ad id"
        placeholder="Meta ad id (optional)"
        value={externalId}
        onChange={(e) => setExternalId(e.target.value)}
        maxLength={64}
      />
      <input
        aria-label="Headline"
        placeholder="Headline (optional)"
        value={headline}
        onChange={(e) => setHeadline(e.target.value)}
        maxLength={300}
      />
      <button className="btn btn-small" type="submit">
        Add ad
      </button>
    </form>
  );
}

export function CampaignsPanel(props: { canManage: boolean }) {
  // A failed load shows no campaigns (the API client showed the error).
  const campaigns = useResource<CampaignView[]>(() => attributionApi.campaigns().catch(() => []));
  const [name, setName] = useState('');
  const [platform, setPlatform] = useState<CampaignView['platform']>('facebook');

  async function create(e: FormEvent) {
    e.preventDefault();
    try {
      await attributionApi.createCampaign({ name: name.trim(), platform });
      setName('');
      showToast('success', 'Campaign created');
      campaigns.reload();
    } catch {
      /* toast shown by the API client */
    }
  }

  return (
    <section aria-label="Campaigns" className="campaigns">
      {props.canManage ? (
        <form className="inline-form" onSubmit={create} aria-label="New campaign">
          <input
            aria-label="Campaign name"
            placeholder="Campaign name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={120}
          />
          <select
            aria-label="Platform"
            value={platform}
            onChange={(e) => setPlatform(e.target.value as CampaignView['platform'])}
          >
            <option value="facebook">Facebook</option>
            <option value="instagram">Instagram</option>
            <option value="whatsapp">WhatsApp</option>
            <option value="messenger">Messenger</option>
            <option value="other">Other</option>
          </select>
          <button className="btn btn-primary" type="submit">
            Create campaign
          </button>
        </form>
      ) : null}
      <LoadState
        data={campaigns.data}
        isEmpty={(items) => items.length === 0}
        empty={<p className="muted">No campaigns yet. Ads seen in chats are collected under “Unassigned”.</p>}
      >
        {(items) =>
          items.map((c) => (
            <article key={c.id} className="campaign-card" data-testid="campaign">
              <h3>
                {c.name} <span className="chip">{c.unassigned ? 'auto' : c.platform}</span>
              </h3>
              {c.ads.length ? (
                <ul className="ad-list">
                  {c.ads.map((a) => (
                    <li key={a.id}>
                      <strong>{a.name}</strong>
                      {a.headline && a.headline !== a.name ? <span className="muted"> — {a.headline}</span> : null}
                      {a.externalId ? <span className="cell-mono muted"> · {a.externalId}</span> : null}
                      {a.autoCreated ? <span className="chip">seen in a chat</span> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No ads.</p>
              )}
              {props.canManage && !c.unassigned ? <AddAd campaignId={c.id} onAdded={campaigns.reload} /> : null}
            </article>
          ))
        }
      </LoadState>
    </section>
  );
}
