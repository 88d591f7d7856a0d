// The template picker shown when the reply window is closed: the approved templates (name, language, category,
// body preview) and one input per {{n}} variable, sent as {template: {name, language, params}}. Must never send
// free text outside the window (only an approved template) and never render template text as HTML.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Template } from '../../../../shared/src/index.js';
import { complianceApi } from '../../api/compliance.js';

export interface TemplateValues {
  name: string;
  language: string;
  params: string[];
}

interface Props {
  busy: boolean;
  onSend(values: TemplateValues): Promise<boolean>;
}

const CATEGORY_LABELS: Record<Template['category'], string> = {
  marketing: 'Marketing (needs consent)',
  utility: 'Utility',
  authentication: 'Authentication',
};

function preview(body: string, params: string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (all, n: string) => params[Number(n) - 1]?.trim() || all);
}

export function TemplateForm(props: Props) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState('');
  const [params, setParams] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    complianceApi.listTemplates({ quiet: true }).then(
      (items) => !cancelled && setTemplates(items.filter((t) => t.approved)),
      (e: Error) => !cancelled && setLoadError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const template = useMemo(() => templates?.find((t) => t.id === selected) ?? null, [templates, selected]);

  function choose(id: string): void {
    setSelected(id);
    const t = templates?.find((x) => x.id === id);
    setParams(Array.from({ length: t?.variables ?? 0 }, () => ''));
    setError(null);
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (!template) return setError('Pick an approved template.');
    const missing = params.findIndex((p) => !p.trim());
    if (missing >= 0) return setError(`Fill in the value for {{${missing + 1}}}.`);
    setError(null);
    const sent = await props.onSend({
      name: template.name,
      language: template.language,
      params: params.map((p) => p.trim()),
    });
    if (sent) setParams(params.map(() => ''));
  }

  if (loadError) {
    return (
      <p className="field-error" role="alert">
        Could not load the templates: {loadError}
      </p>
    );
  }
  if (!templates) {
    return (
      <p className="muted" role="status">
        <span className="spinner" aria-hidden="true" /> Loading templates…
      </p>
    );
  }
  if (templates.length === 0) {
    return <p className="muted">No approved templates yet. An admin can add them under Admin → Templates.</p>;
  }

  return (
    <form className="template-form" onSubmit={(e) => void onSubmit(e)} aria-label="Send a template" noValidate>
      <label className="field">
        <span className="field-label">Approved template</span>
        <select
          value={selected}
          onChange={(e) => choose(e.target.value)}
          disabled={props.busy}
          data-testid="template-picker"
        >
          <option value="">Choose a template…</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {`${t.name} (${t.language}) — ${CATEGORY_LABELS[t.category]}`}
            </option>
          ))}
        </select>
      </label>
      {template ? (
        <>
          {params.map((value, i) => (
            <div className="template-param" key={i}>
              <label className="field">
                <span className="field-label">{`Value for {{${i + 1}}}`}</span>
                <input
                  value={value}
                  maxLength={1024}
                  disabled={props.busy}
                  onChange={(e) => setParams((p) => p.map((v, j) => (j === i ? e.target.value : v)))}
                />
              </label>
            </div>
          ))}
          <p className="template-preview" data-testid="template-preview">
            {preview(template.body, params)}
          </p>
        </>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="template-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={props.busy || !template}>
          {props.busy ? 'Sending…' : 'Send template'}
        </button>
      </div>
    </form>
  );
}
