// The template form shown when the reply window is closed: template name, language and positional parameters,
// sent as {template: {name, language, params}}. Must never send free text outside the window: only a template.
import { useState, type FormEvent } from 'react';

export interface TemplateValues {
  name: string;
  language: string;
  params: string[];
}

interface Props {
  busy: boolean;
  onSend(values: TemplateValues): Promise<boolean>;
}

export function TemplateForm(props: Props) {
  const [name, setName] = useState('');
  const [language, setLanguage] = useState('en');
  const [params, setParams] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (!name.trim()) return setError('Enter the approved template’s name.');
    if (!/^[A-Za-z]{2,3}([_-][A-Za-z]{2,4})?$/.test(language.trim())) {
      return setError('Language is a code such as en, es or pt_BR.');
    }
    setError(null);
    const sent = await props.onSend({ name: name.trim(), language: language.trim(), params });
    if (sent) setParams([]);
  }

  return (
    <form className="template-form" onSubmit={(e) => void onSubmit(e)} aria-label="Send a template" noValidate>
      <div className="template-row">
        <label className="field template-name">
          <span className="field-label">Template name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="order_update"
            maxLength={512}
            disabled={props.busy}
          />
        </label>
        <label className="field template-lang">
          <span className="field-label">Language</span>
          <input value={language} onChange={(e) => setLanguage(e.target.value)} maxLength={15} disabled={props.busy} />
        </label>
      </div>
      {params.map((value, i) => (
        <div className="template-param" key={i}>
          <label className="field">
            <span className="field-label">{`Parameter {{${i + 1}}}`}</span>
            <input
              value={value}
              maxLength={1024}
              disabled={props.busy}
              onChange={(e) => setParams((p) => p.map((v, j) => (j === i ? e.target.value : v)))}
            />
          </label>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            aria-label={`Remove parameter ${i + 1}`}
            onClick={() => setParams((p) => p.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="template-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setParams((p) => [...p, ''])}
          disabled={props.busy || params.length >= 20}
        >
          Add parameter
        </button>
        <button type="submit" className="btn btn-primary btn-small" disabled={props.busy}>
          {props.busy ? 'Sending…' : 'Send template'}
        </button>
      </div>
    </form>
  );
}
