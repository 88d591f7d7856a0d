// Admin → Channels: the connected inboxes (name, kind, live state, display number), an "Add a channel" form and
// delete with confirmation, and for linked WhatsApp numbers the QR link dialog (start / stop / log out). Must never
// display or keep channel secrets (the API never returns them).
import { useState } from 'react';
import type { Channel } from '../../../shared/src/index.js';
import { adminApi } from '../api/admin.js';
import { CreateChannelForm, KIND_LABELS } from '../components/admin/CreateChannelForm.js';
import { AdminListPage } from '../components/admin/AdminListPage.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { LinkNumberDialog } from '../components/admin/LinkNumberDialog.js';
import { useChannels } from '../hooks/useChannels.js';
import { showToast } from '../toast-store.js';
import { AdminTable } from '../components/admin/AdminTable.js';

const STATE_LABELS: Record<Channel['state'], string> = {
  idle: 'Idle',
  qr: 'Waiting for QR scan',
  authenticating: 'Authenticating',
  ready: 'Ready',
  disconnected: 'Disconnected',
  logged_out: 'Logged out',
  failed: 'Failed',
};
const STATE_TONE: Record<Channel['state'], 'ok' | 'wait' | 'off' | 'bad'> = {
  idle: 'off',
  qr: 'wait',
  authenticating: 'wait',
  ready: 'ok',
  disconnected: 'bad',
  logged_out: 'bad',
  failed: 'bad',
};

function ChannelsTable(props: { channels: Channel[]; onLink(id: string): void; onDelete(ch: Channel): void }) {
  const sorted = [...props.channels].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <AdminTable testId="channels-table" columns={['Name', 'Kind', 'Number', 'State']}>
      {sorted.map((ch) => (
        <tr key={ch.id} data-channel-id={ch.id} data-channel-name={ch.name}>
          <td className="cell-name">
            <span className="cell-strong">{ch.name}</span>
          </td>
          <td>{KIND_LABELS[ch.kind]}</td>
          <td className="cell-mono">{ch.displayNumber ?? '—'}</td>
          <td>
            <span className={`state state-${STATE_TONE[ch.state]}`} data-state={ch.state}>
              {STATE_LABELS[ch.state]}
            </span>
            {ch.stateReason ? <div className="field-hint">{ch.stateReason}</div> : null}
          </td>
          <td className="cell-actions">
            {ch.kind === 'whatsapp-web' ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => props.onLink(ch.id)}
                data-testid="link-open"
              >
                {ch.state === 'ready' ? 'Manage' : 'Link…'}
              </button>
            ) : null}{' '}
            <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => props.onDelete(ch)}>
              Delete
            </button>
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}

export function ChannelsPage() {
  const channels = useChannels();
  const [confirm, setConfirm] = useState<Channel | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [linkingId, setLinkingId] = useState<string | null>(null);
  const linking = linkingId ? channels.byId.get(linkingId) : undefined;
  const replace = (ch: Channel) => channels.setChannels((list) => list.map((c) => (c.id === ch.id ? ch : c)));

  async function remove(): Promise<void> {
    if (!confirm) return;
    setDeleting(true);
    try {
      await adminApi.deleteChannel(confirm.id);
      channels.setChannels((list) => list.filter((c) => c.id !== confirm.id));
      showToast('success', `Deleted channel ${confirm.name}`);
    } catch {
      // The API client showed the server's message.
    } finally {
      setDeleting(false);
      setConfirm(null);
    }
  }

  return (
    <AdminListPage
      list={{
        title: 'Channels',
        titleId: 'channels-title',
        meta:
          channels.status === 'ready' ? (
            <span className="muted">
              {channels.channels.length} {channels.channels.length === 1 ? 'channel' : 'channels'}
            </span>
          ) : null,
      }}
      load={{
        data: channels.status === 'loading' ? null : channels.channels,
        error: channels.status === 'unavailable' ? '' : null,
        onRetry: channels.reload,
        what: 'channels',
        isEmpty: (list) => list.length === 0,
        empty: (
          <p className="muted" data-testid="channels-empty">
            No channels yet. Add one on the right — a sandbox channel lets you try the whole flow with a simulated
            customer phone.
          </p>
        ),
        children: (list) => <ChannelsTable channels={list} onLink={setLinkingId} onDelete={setConfirm} />,
      }}
      side={{
        title: 'Add a channel',
        titleId: 'create-channel-title',
        children: (
          <CreateChannelForm
            onCreated={(ch) => {
              channels.setChannels((list) => [...list.filter((c) => c.id !== ch.id), ch]);
              if (ch.kind === 'whatsapp-web') setLinkingId(ch.id);
            }}
          />
        ),
      }}
    >
      {linking ? <LinkNumberDialog channel={linking} onChanged={replace} onClose={() => setLinkingId(null)} /> : null}
      {confirm ? (
        <ConfirmDialog
          title={`Delete ${confirm.name}?`}
          message="The channel and its credentials are removed; messages sent to it will no longer reach the inbox."
          confirmLabel="Delete channel"
          danger
          busy={deleting}
          onConfirm={() => void remove()}
          onCancel={() => setConfirm(null)}
        />
      ) : null}
    </AdminListPage>
  );
}
