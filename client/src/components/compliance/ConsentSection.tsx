// Contact panel → Consent: the current marketing / ad-measurement state (badges), the ledger history on demand
// (what, how, evidence, who, when) and agent-recorded consent changes with a mandatory note. Must never render
// ledger text as HTML and never show phone numbers or provider ids (the API never sends them).
import { useEffect, useState, type FormEvent } from 'react';
import type { ConsentEvent, ConsentLedger, Conversation } from '../../../../shared/src/index.js';
import { complianceApi } from '../../api/compliance.js';
import { formatDateTime, formatRelative } from '../../format.js';
import { showToast } from '../../toast-store.js';

type ConsentState = Conversation['contact']['consent']['marketing'];
type Purpose = ConsentEvent['purpose'];
const CONSENT_LABELS: Record<ConsentState, string> = { granted: 'Granted', withdrawn: 'Withdrawn', unknown: 'Unknown' };
const PURPOSE_LABELS: Record<Purpose, string> = { marketing: 'Marketing', ad_measurement: 'Ad measurement' };
const METHOD_LABELS: Record<ConsentEvent['method'], string> = {
  keyword: 'keyword message',
  button: 'button reply',
  landing_form: 'landing page form',
  agent: 'recorded by an agent',
  api: 'system / API',
  provider: 'in the WhatsApp app',
};

function Badge(props: { label: string; state: ConsentState }) {
  return (
    <div className="consent-row">
      <span>{props.label}</span>
      <span className={`consent consent-${props.state}`} data-testid={`consent-${props.label}`}>
        {CONSENT_LABELS[props.state]}
      </span>
    </div>
  );
}

function actorName(e: ConsentEvent): string {
  if (e.actor.type === 'customer') return 'the customer';
  if (e.actor.type === 'user') return e.actor.name ?? 'a user';
  if (e.actor.type === 'integration') return e.actor.name ?? 'an integration';
  return e.actor.name ?? 'Parley';
}

function History(props: { events: ConsentEvent[] }) {
  if (props.events.length === 0) return <p className="muted">No consent recorded yet.</p>;
  return (
    <ol className="consent-history" data-testid="consent-history">
      {props.events.map((e) => (
        <li key={e.id}>
          <span
            className={`consent consent-${e.action}`}
          >{`${PURPOSE_LABELS[e.purpose]}: ${CONSENT_LABELS[e.action]}`}</span>{' '}
          <span className="muted" title={formatDateTime(e.at)}>
            {formatRelative(e.at)}
          </span>
          <div className="consent-history-how">
            {`Via ${METHOD_LABELS[e.method]}, by ${actorName(e)}`}
            {e.textVersion ? ` · text ${e.textVersion}` : ''}
            {e.evidence?.messageId ? ' · message on file' : ''}
            {e.evidence?.clickId ? ' · ad click on file' : ''}
          </div>
          {e.text ? <blockquote className="consent-history-text">{e.text}</blockquote> : null}
          {e.note ? <div className="consent-history-note">{`Note: ${e.note}`}</div> : null}
        </li>
      ))}
    </ol>
  );
}

function RecordForm(props: { contactId: string; onSaved(ledger: ConsentLedger): void; onCancel(): void }) {
  const [purpose, setPurpose] = useState<Purpose>('marketing');
  const [action, setAction] = useState<'granted' | 'withdrawn'>('granted');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (note.trim().length < 3) return setError('Add a note: how and when did the customer say so?');
    setBusy(true);
    setError(null);
    try {
      const ledger = await complianceApi.recordConsent(
        props.contactId,
        { purpose, action, note: note.trim() },
        { quiet: true },
      );
      showToast('success', `${PURPOSE_LABELS[purpose]} consent ${action === 'granted' ? 'granted' : 'withdrawn'}`);
      props.onSaved(ledger);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not record consent');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form consent-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Record consent">
      <label className="field">
        <span className="field-label">Purpose</span>
        <select value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)} disabled={busy}>
          <option value="marketing">Marketing messages</option>
          <option value="ad_measurement">Ad measurement</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">The customer</span>
        <select value={action} onChange={(e) => setAction(e.target.value as 'granted' | 'withdrawn')} disabled={busy}>
          <option value="granted">agreed</option>
          <option value="withdrawn">withdrew / refused</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Note</span>
        <textarea
          rows={2}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          disabled={busy}
          placeholder="Said yes to offers in this chat"
        />
      </label>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-small" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          {busy ? 'Saving…' : 'Record'}
        </button>
      </div>
    </form>
  );
}

export function ConsentSection(props: { contactId: string; consent: Conversation['contact']['consent'] }) {
  // A different contact starts with a closed history and no form open.
  return <ConsentSectionFor key={props.contactId} {...props} />;
}

function ConsentSectionFor(props: { contactId: string; consent: Conversation['contact']['consent'] }) {
  const { contactId, consent } = props;
  // The loaded ledger is only current for the consent it was loaded with: a live change makes it stale.
  const sig = `${consent.marketing}/${consent.adMeasurement}`;
  const [loaded, setLoaded] = useState<{ sig: string; ledger: ConsentLedger } | null>(null);
  const [open, setOpen] = useState(false);
  const [recording, setRecording] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const ledger = loaded && loaded.sig === sig ? loaded.ledger : null;

  useEffect(() => {
    if (!open || ledger) return;
    let cancelled = false;
    complianceApi.consent(contactId, { quiet: true }).then(
      (l) => !cancelled && (setLoaded({ sig, ledger: l }), setLoadError(null)),
      (e: Error) => !cancelled && setLoadError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [open, ledger, contactId, sig]);

  const state = ledger?.state ?? consent;
  return (
    <section className="panel-section" data-testid="consent-section">
      <h3 className="panel-title">Consent</h3>
      <Badge label="Marketing" state={state.marketing} />
      <Badge label="Ad measurement" state={state.adMeasurement} />
      <p className="panel-hint">A chat from an ad lets you answer; it is not consent to marketing.</p>
      <div className="consent-actions">
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
        >
          {open ? 'Hide history' : 'History'}
        </button>
        {!recording ? (
          <button type="button" className="btn btn-small" onClick={() => setRecording(true)}>
            Record consent
          </button>
        ) : null}
      </div>
      {recording ? (
        <RecordForm
          contactId={contactId}
          onCancel={() => setRecording(false)}
          onSaved={(l) => {
            setLoaded({ sig, ledger: l });
            setRecording(false);
            setOpen(true);
          }}
        />
      ) : null}
      {open ? (
        loadError ? (
          <p className="field-error" role="alert">
            Could not load the history: {loadError}
          </p>
        ) : ledger ? (
          <History events={ledger.events} />
        ) : (
          <p className="muted" role="status">
            Loading…
          </p>
        )
      ) : null}
    </section>
  );
}
