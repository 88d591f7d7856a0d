// Admin "Add a channel" form: fields by kind (WhatsApp Cloud API, Messenger, sandbox, WhatsApp Web), validated
// with the shared CreateChannelBody schema, then POST /api/channels. Secrets are password inputs, write-only.
// Must never keep a secret after submit (cleared on success and on kind change) and must never log one.
import { useState, type FormEvent } from 'react';
import { CreateChannelBodySchema, type Channel, type ChannelKind } from '../../../../shared/src/index.js';
import { ApiRequestError } from '../../api/client.js';
import { adminApi } from '../../api/admin.js';
import { showToast } from '../../toast-store.js';

export const KIND_LABELS: Record<ChannelKind, string> = {
  'whatsapp-cloud': 'WhatsApp Cloud API',
  messenger: 'Messenger',
  sandbox: 'Sandbox (test phone)',
  'whatsapp-web': 'WhatsApp Web (linked device)',
};

interface FieldDef {
  key: string;
  label: string;
  secret?: boolean;
  optional?: boolean;
  hint?: string;
  inputMode?: 'numeric';
}

const FIELDS: Record<ChannelKind, FieldDef[]> = {
  'whatsapp-cloud': [
    {
      key: 'phoneNumberId',
      label: 'Phone number ID',
      inputMode: 'numeric',
      hint: 'From WhatsApp Manager → API setup.',
    },
    {
      key: 'displayNumber',
      label: 'Display number',
      optional: true,
      hint: 'Shown to your team, e.g. +34 600 000 000.',
    },
    { key: 'businessAccountId', label: 'WhatsApp Business Account ID', optional: true, inputMode: 'numeric' },
    { key: 'accessToken', label: 'Access token', secret: true },
    { key: 'appSecret', label: 'App secret', secret: true, hint: 'Used to verify webhook signatures.' },
    { key: 'verifyToken', label: 'Webhook verify token', secret: true },
  ],
  messenger: [
    { key: 'pageId', label: 'Page ID', inputMode: 'numeric' },
    { key: 'pageToken', label: 'Page access token', secret: true },
    { key: 'appSecret', label: 'App secret', secret: true, hint: 'Used to verify webhook signatures.' },
    { key: 'verifyToken', label: 'Webhook verify token', secret: true },
  ],
  sandbox: [{ key: 'displayNumber', label: 'Display number', optional: true, hint: 'A made-up number for the demo.' }],
  'whatsapp-web': [],
};

const KINDS: ChannelKind[] = ['whatsapp-cloud', 'messenger', 'sandbox', 'whatsapp-web'];
type Errors = Record<string, string | undefined>;

export function CreateChannelForm(props: { onCreated(channel: Channel): void }) {
  const [kind, setKind] = useState<ChannelKind>('sandbox');
  const [name, setName] = useState('');
  const [config, setConfig] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);

  const fields = FIELDS[kind];

  function changeKind(next: ChannelKind): void {
    setKind(next);
    setConfig({});
    setErrors({});
  }

  function buildBody(): unknown {
    const cfg: Record<string, string> = {};
    for (const f of fields) {
      const value = (config[f.key] ?? '').trim();
      if (value) cfg[f.key] = value;
    }
    return { kind, name: name.trim(), config: cfg };
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (submitting) return;
    const parsed = CreateChannelBodySchema.safeParse(buildBody());
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[issue.path.length - 1] ?? 'form');
        const def = fields.find((f) => f.key === key);
        const label = key === 'name' ? 'Name' : (def?.label ?? 'This field');
        const missing = issue.code === 'invalid_type' || (key !== 'name' && !(config[key] ?? '').trim());
        found[key] ??= missing ? `${label} is required` : `${label} ${issue.message}`;
      }
      if (!name.trim()) found.name = 'Name is required';
      setErrors(found);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      const channel = await adminApi.createChannel(parsed.data, { quiet: true });
      props.onCreated(channel);
      setName('');
      setConfig({});
      showToast('success', `Added channel ${channel.name}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : 'Could not add the channel';
      setErrors({ form: message });
      if (!(err instanceof ApiRequestError && err.status < 500 && err.status > 0)) showToast('error', message);
    } finally {
      setSubmitting(false);
    }
  }

  const error = (key: string) =>
    errors[key] ? (
      <span className="field-error" id={`channel-${key}-error`} role="alert">
        {errors[key]}
      </span>
    ) : null;

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="create-channel-title">
      <div className="field">
        <label className="field-label" htmlFor="channel-kind">
          Kind
        </label>
        <select
          id="channel-kind"
          value={kind}
          onChange={(e) => changeKind(e.target.value as ChannelKind)}
          disabled={submitting}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {kind === 'whatsapp-web' ? (
          <span className="field-hint">
            After creating it, scan the QR code shown with the phone (WhatsApp → Linked devices).
          </span>
        ) : null}
        {kind === 'sandbox' ? (
          <span className="field-hint">A simulated customer phone for demos and tests, at /sandbox.</span>
        ) : null}
      </div>
      <div className="field">
        <label className="field-label" htmlFor="channel-name">
          Name
        </label>
        <input
          id="channel-name"
          type="text"
          autoComplete="off"
          maxLength={80}
          value={name}
          aria-invalid={errors.name ? true : undefined}
          onChange={(e) => setName(e.target.value)}
          disabled={submitting}
          placeholder="e.g. Store support"
        />
        {error('name')}
      </div>
      {fields.map((f) => (
        <div className="field" key={`${kind}-${f.key}`}>
          <label className="field-label" htmlFor={`channel-${f.key}`}>
            {f.label}
            {f.optional ? <span className="muted"> (optional)</span> : null}
          </label>
          <input
            id={`channel-${f.key}`}
            type={f.secret ? 'password' : 'text'}
            autoComplete={f.secret ? 'new-password' : 'off'}
            inputMode={f.inputMode}
            value={config[f.key] ?? ''}
            aria-invalid={errors[f.key] ? true : undefined}
            onChange={(e) => setConfig((c) => ({ ...c, [f.key]: e.target.value }))}
            disabled={submitting}
          />
          {error(f.key) ??
            (f.secret ? (
              <span className="field-hint">{`${f.hint ? `${f.hint} ` : ''}Write-only: never shown again.`}</span>
            ) : f.hint ? (
              <span className="field-hint">{f.hint}</span>
            ) : null)}
        </div>
      ))}
      {errors.form ? (
        <div className="form-error" role="alert">
          {errors.form}
        </div>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {submitting ? 'Adding…' : 'Add channel'}
      </button>
    </form>
  );
}
