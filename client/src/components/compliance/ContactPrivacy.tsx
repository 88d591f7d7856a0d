// Contact panel section "Privacy": Reveal the real number (only for roles with contacts:reveal) after typing a
// reason — the server audits it — and, for roles with export/erase rights, download everything held about the
// contact or erase them (confirmed). Must never keep a revealed number after the panel closes, never store it in
// web storage, and never show these actions to roles without the permission.
import { useEffect, useRef, useState } from 'react';
import { roleCan, type RevealResponse, type Role } from '../../../../shared/src/index.js';
import { protectionApi } from '../../api/protection.js';
import { showToast } from '../../toast-store.js';
import { ConfirmDialog } from '../ConfirmDialog.js';

/** The signed-in user's role (fetched once per panel; the server enforces the same rules). */
function useRole(): Role | null {
  const [role, setRole] = useState<Role | null>(null);
  useEffect(() => {
    let cancelled = false;
    protectionApi.me().then(
      (me) => !cancelled && setRole(me.user.role),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return role;
}

function RevealDialog(props: { contactId: string; onDone(r: RevealResponse): void; onCancel(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onDone(await protectionApi.reveal(props.contactId, reason.trim()));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="reveal-title"
      onCancel={(e) => (e.preventDefault(), !busy && props.onCancel())}
    >
      <form className="form" onSubmit={(e) => void submit(e)}>
        <h2 id="reveal-title">Reveal the real number</h2>
        <p className="muted">Say why you need it. Your name, the time and this reason go on the audit trail.</p>
        <label className="field">
          <span className="field-label">Reason</span>
          <textarea
            name="reason"
            required
            minLength={5}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. the customer asked us to call back about order 1234"
          />
        </label>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || reason.trim().length < 5}>
            Reveal
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function ContactPrivacy(props: { contactId: string; erased?: boolean }) {
  const role = useRole();
  const [asking, setAsking] = useState(false);
  // Kept per contact: switching conversations never shows another contact's number.
  const [revealedFor, setRevealedFor] = useState<{ contactId: string; data: RevealResponse } | null>(null);
  const revealed = revealedFor?.contactId === props.contactId ? revealedFor.data : null;
  const setRevealed = (data: RevealResponse | null) =>
    setRevealedFor(data ? { contactId: props.contactId, data } : null);
  const [confirmErase, setConfirmErase] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!role) return null;
  const canReveal = roleCan(role, 'contacts:reveal');
  const canExport = roleCan(role, 'contacts:export');
  const canErase = roleCan(role, 'contacts:erase');
  if (!canReveal && !canExport && !canErase) return null;

  const download = async () => {
    setBusy(true);
    try {
      const doc = await protectionApi.exportContact(props.contactId);
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `contact-${props.contactId}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } finally {
      setBusy(false);
    }
  };
  const erase = async () => {
    setBusy(true);
    try {
      await protectionApi.eraseContact(props.contactId);
      showToast('info', 'The contact was erased. A suppression record keeps them from being contacted again.');
      setConfirmErase(false);
      setRevealed(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel-section" aria-label="Privacy" data-testid="contact-privacy">
      <h3 className="panel-title">Privacy</h3>
      {revealed ? (
        <dl className="facts" data-testid="revealed">
          <dt>Number</dt>
          <dd className="cell-mono">{revealed.phone ? `+${revealed.phone}` : 'Not known'}</dd>
          {revealed.identities.map((i) => (
            <div key={`${i.kind}:${i.value}`} style={{ display: 'contents' }}>
              <dt>{i.kind}</dt>
              <dd className="cell-mono">{i.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div className="form-actions">
        {canReveal && !revealed && !props.erased ? (
          <button type="button" className="btn btn-small" onClick={() => setAsking(true)}>
            Reveal number…
          </button>
        ) : null}
        {canExport ? (
          <button type="button" className="btn btn-small" onClick={() => void download()} disabled={busy}>
            Export data
          </button>
        ) : null}
        {canErase && !props.erased ? (
          <button
            type="button"
            className="btn btn-small btn-danger-ghost"
            onClick={() => setConfirmErase(true)}
            disabled={busy}
          >
            Erase contact…
          </button>
        ) : null}
      </div>
      {asking ? (
        <RevealDialog
          contactId={props.contactId}
          onCancel={() => setAsking(false)}
          onDone={(r) => {
            setRevealed(r);
            setAsking(false);
          }}
        />
      ) : null}
      {confirmErase ? (
        <ConfirmDialog
          title="Erase this contact?"
          message="Message texts, media, identifiers, names and raw provider payloads are deleted for good. A suppression record (hashes only) keeps them from being contacted again. This cannot be undone."
          confirmLabel="Erase"
          danger
          busy={busy}
          onConfirm={() => void erase()}
          onCancel={() => setConfirmErase(false)}
        />
      ) : null}
    </section>
  );
}
