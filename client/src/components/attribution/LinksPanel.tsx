// Dashboard → Links: tracked click-to-chat links with their URL (copy button), a QR code (qrcode, rendered
// locally as a data URL) and click count, and a form to create one (channel, campaign/ad, prefilled text,
// landing step with opt-in). Must never show contact data.
import { useEffect, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import type { CampaignView, Channel, LinkView } from '../../../../shared/src/index.js';
import { adminApi } from '../../api/admin.js';
import { attributionApi } from '../../api/attribution.js';
import { useResource } from '../../hooks/useResource.js';
import { showToast } from '../../toast-store.js';
import { LoadState } from '../admin/LoadState.js';

function Qr(props: { url: string; name: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(props.url, { margin: 1, width: 160 }).then((d) => live && setSrc(d));
    return () => {
      live = false;
    };
  }, [props.url]);
  return src ? (
    <a href={src} download={`qr-${props.name.replace(/[^\w-]+/g, '-')}.png`} title="Download QR code">
      <img className="link-qr" src={src} alt={`QR code for ${props.name}`} width={96} height={96} />
    </a>
  ) : null;
}

export function LinksPanel(props: { canManage: boolean }) {
  // A failed load shows no links (the API client showed the error).
  const links = useResource<LinkView[]>(() => attributionApi.links().catch(() => []));
  const [channels, setChannels] = useState<Channel[]>([]);
  const [campaigns, setCampaigns] = useState<CampaignView[]>([]);
  const [form, setForm] = useState({
    name: '',
    channelId: '',
    target: '',
    prefilledText: 'Hi! I would like to know more.',
    landing: false,
  });

  useEffect(() => {
    void adminApi.listChannels({ quiet: true }).then(
      (c) => {
        setChannels(c);
        setForm((f) => (f.channelId ? f : { ...f, channelId: c[0]?.id ?? '' }));
      },
      () => {},
    );
    void attributionApi.campaigns().then(setCampaigns, () => {});
  }, []);

  async function create(e: FormEvent) {
    e.preventDefault();
    const [kind, id] = form.target.split(':');
    try {
      const l = await attributionApi.createLink({
        name: form.name.trim(),
        channelId: form.channelId,
        ...(kind === 'c' ? { campaignId: id } : kind === 'a' ? { adId: id } : {}),
        prefilledText: form.prefilledText,
        landing: form.landing,
      });
      showToast('success', `Link created: ${l.url}`);
      setForm((f) => ({ ...f, name: '' }));
      links.reload();
    } catch {
      /* toast shown by the API client */
    }
  }

  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      showToast('success', 'Link copied');
    } catch {
      showToast('error', 'Copy failed — select the link and copy it by hand');
    }
  }

  return (
    <section aria-label="Tracked links" className="links">
      {props.canManage ? (
        <form className="stack-form" onSubmit={create} aria-label="New tracked link">
          <label>
            Link name
            <input
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              required
              maxLength={120}
            />
          </label>
          <label>
            Channel
            <select value={form.channelId} onChange={(e) => setForm({ ...form, channelId: e.target.value })} required>
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.kind})
                </option>
              ))}
            </select>
          </label>
          <label>
            Counts for
            <select value={form.target} onChange={(e) => setForm({ ...form, target: e.target.value })}>
              <option value="">No campaign</option>
              {campaigns.map((c) => (
                <optgroup key={c.id} label={c.name}>
                  <option value={`c:${c.id}`}>{c.name} (whole campaign)</option>
                  {c.ads.map((a) => (
                    <option key={a.id} value={`a:${a.id}`}>
                      {a.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            Prefilled message
            <input
              value={form.prefilledText}
              onChange={(e) => setForm({ ...form, prefilledText: e.target.value })}
              maxLength={500}
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={form.landing}
              onChange={(e) => setForm({ ...form, landing: e.target.checked })}
            />{' '}
            Show a landing step with the marketing opt-in
          </label>
          <button className="btn btn-primary" type="submit">
            Create link
          </button>
        </form>
      ) : null}
      <LoadState
        data={links.data}
        isEmpty={(items) => items.length === 0}
        empty={<p className="muted">No tracked links yet.</p>}
      >
        {(items) => (
          <table className="table" data-testid="links-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">QR</th>
                <th scope="col" className="num">
                  Clicks
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((l) => (
                <tr key={l.id} data-testid="link-row">
                  <td>
                    {l.name}
                    {l.landing ? <span className="chip">landing</span> : null}
                  </td>
                  <td>
                    <code className="cell-mono" data-testid="link-url">
                      {l.url}
                    </code>{' '}
                    <button type="button" className="btn btn-small" onClick={() => void copy(l.url)}>
                      Copy
                    </button>
                  </td>
                  <td>
                    <Qr url={l.url} name={l.name} />
                  </td>
                  <td className="num" data-testid="link-clicks">
                    {l.clicks}
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
