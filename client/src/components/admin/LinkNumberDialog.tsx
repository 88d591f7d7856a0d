// The "Link a WhatsApp number" dialog: starts the linked-device session, shows the live QR (socket `channel:qr`,
// re-rendered with the `qrcode` package as it rotates) and the live state (`channel:state`: qr, authenticating,
// ready, disconnected, logged_out, failed with its reason), and offers Stop and Log out. Must never send or keep
// the QR anywhere but this dialog's memory, and never act on another channel's events.
import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';
import type { Channel } from '../../../../shared/src/index.js';
import { useLive } from '../../hooks/useLiveConnection.js';
import { runChannelAction, type LifecycleAction } from './channel-lifecycle.js';

const HELP: Record<Channel['state'], string> = {
  idle: 'Not running. Press “Link number” to start WhatsApp and get a QR code.',
  qr: 'On the phone: WhatsApp → Settings → Linked devices → Link a device, then scan this code.',
  authenticating: 'Starting WhatsApp… this can take up to a minute.',
  ready: 'Linked and receiving messages.',
  disconnected: 'Disconnected — reconnecting automatically.',
  logged_out: 'This number is unlinked. Link it again to receive messages.',
  failed: 'WhatsApp could not start.',
};

export function LinkNumberDialog(props: { channel: Channel; onChanged(channel: Channel): void; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { socket } = useLive();
  const { channel } = props;
  const [qr, setQr] = useState<string | null>(null);
  const [image, setImage] = useState<{ qr: string; url: string } | null>(null);
  const [busy, setBusy] = useState<LifecycleAction | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  useEffect(() => {
    const onQr = (e: { channelId: string; qr: string }) => {
      if (e.channelId === channel.id) setQr(e.qr);
    };
    socket.on('channel:qr', onQr);
    return () => {
      socket.off('channel:qr', onQr);
    };
  }, [socket, channel.id]);

  // The rendered image belongs to one QR string; a rotated or stale code is never shown.
  useEffect(() => {
    if (!qr) return;
    let cancelled = false;
    QRCode.toDataURL(qr, { margin: 1, width: 264, errorCorrectionLevel: 'L' }).then(
      (url) => !cancelled && setImage({ qr, url }),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [qr]);

  async function act(action: LifecycleAction): Promise<void> {
    setBusy(action);
    setQr(null); // a new start brings new codes
    try {
      props.onChanged(await runChannelAction(channel.id, action));
    } catch {
      // The API client showed the server's message.
    } finally {
      setBusy(null);
    }
  }

  const running = ['qr', 'authenticating', 'ready', 'disconnected'].includes(channel.state);
  // The QR is only meaningful while the state says so.
  const src = channel.state === 'qr' && qr && image?.qr === qr ? image.url : null;
  return (
    <dialog
      ref={ref}
      className="dialog link-dialog"
      aria-labelledby="link-title"
      data-testid="link-dialog"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="link-title">Link a WhatsApp number — {channel.name}</h2>
      <p className="muted" data-testid="link-state" data-state={channel.state} role="status" aria-live="polite">
        {HELP[channel.state]}
      </p>
      {channel.stateReason && channel.state !== 'ready' ? (
        <p
          className={channel.state === 'failed' || channel.state === 'logged_out' ? 'inline-error' : 'field-hint'}
          data-testid="link-reason"
        >
          {channel.stateReason}
        </p>
      ) : null}
      <div
        className="link-qr"
        style={{ display: 'flex', justifyContent: 'center', minHeight: src || channel.state === 'qr' ? 264 : 0 }}
      >
        {src ? (
          <img src={src} width={264} height={264} alt="QR code to link this WhatsApp number" data-testid="link-qr" />
        ) : channel.state === 'qr' || (channel.state === 'authenticating' && !channel.stateReason) ? (
          <span className="muted">
            <span className="spinner" aria-hidden="true" /> Waiting for a code…
          </span>
        ) : null}
      </div>
      <p className="field-hint">
        Each linked number runs its own browser on the server (about 0.5–1 GB of memory). Keep the phone online.
      </p>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={props.onClose}>
          Close
        </button>
        {running ? (
          <button type="button" className="btn" onClick={() => void act('stop')} disabled={busy !== null}>
            {busy === 'stop' ? 'Stopping…' : 'Stop'}
          </button>
        ) : null}
        {channel.state !== 'logged_out' && channel.state !== 'idle' ? (
          <button type="button" className="btn btn-danger" onClick={() => void act('logout')} disabled={busy !== null}>
            {busy === 'logout' ? 'Logging out…' : 'Log out'}
          </button>
        ) : null}
        {!running ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void act('start')}
            disabled={busy !== null}
            autoFocus
          >
            {busy === 'start' ? 'Starting…' : channel.state === 'failed' ? 'Try again' : 'Link number'}
          </button>
        ) : null}
      </div>
    </dialog>
  );
}
