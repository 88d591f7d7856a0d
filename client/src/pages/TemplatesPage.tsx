// Admin → Templates: the message templates agents may send when the reply window is closed — name, language,
// category (marketing needs consent), body with {{1}} variables, approved flag. List, create, edit, approve and
// delete. Must never render template text as HTML.
import { useState, type FormEvent } from 'react';
import type { Template, TemplateBody, TemplateCategory } from '../../../shared/src/index.js';
import { complianceApi } from '../api/compliance.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { showToast } from '../toast-store.js';
import { useItemList } from '../hooks/useItemList.js';
import { AdminListPage } from '../components/admin/AdminListPage.js';
import { AdminTable } from '../components/admin/AdminTable.js';

const EMPTY: TemplateBody = { name: '', language: 'es', category: 'utility', body: '', approved: false };
const CATEGORY_LABELS: Record<TemplateCategory, string> = {
  marketing: 'Marketing',
  utility: 'Utility',
  authentication: 'Authentication',
};

function validate(v: TemplateBody): string | null {
  if (!/^[a-z0-9_]{1,100}$/.test(v.name.trim()))
    return 'Name: lower-case letters, digits and _ (as approved by WhatsApp).';
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(v.language.trim())) return 'Language: a code like es, en or pt_BR.';
  if (!v.body.trim()) return 'Body is required.';
  return null;
}

function TemplateEditor(props: { editing: Template | null; onSaved(t: Template): void; onCancel(): void }) {
  const e = props.editing;
  const [values, setValues] = useState<TemplateBody>(
    e ? { name: e.name, language: e.language, category: e.category, body: e.body, approved: e.approved } : EMPTY,
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof TemplateBody>(k: K, v: TemplateBody[K]) => setValues((x) => ({ ...x, [k]: v }));

  async function onSubmit(ev: FormEvent<HTMLFormElement>): Promise<void> {
    ev.preventDefault();
    const bad = validate(values);
    if (bad) return setError(bad);
    setError(null);
    setBusy(true);
    const body = { ...values, name: values.name.trim(), language: values.language.trim(), body: values.body.trim() };
    try {
      const saved = e
        ? await complianceApi.updateTemplate(e.id, body, { quiet: true })
        : await complianceApi.createTemplate(body, { quiet: true });
      props.onSaved(saved);
      if (!e) setValues(EMPTY);
      showToast('success', `Saved ${saved.name} (${saved.language})`);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not save');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="form"
      onSubmit={(ev) => void onSubmit(ev)}
      noValidate
      aria-label={e ? 'Edit template' : 'New template'}
    >
      <label className="field">
        <span className="field-label">Name</span>
        <input
          value={values.name}
          maxLength={100}
          onChange={(x) => set('name', x.target.value)}
          disabled={busy}
          placeholder="order_update"
        />
      </label>
      <label className="field">
        <span className="field-label">Language</span>
        <input
          value={values.language}
          maxLength={6}
          onChange={(x) => set('language', x.target.value)}
          disabled={busy}
        />
      </label>
      <label className="field">
        <span className="field-label">Category</span>
        <select
          value={values.category}
          onChange={(x) => set('category', x.target.value as TemplateCategory)}
          disabled={busy}
        >
          <option value="utility">Utility (orders, appointments…)</option>
          <option value="marketing">Marketing (needs the customer’s consent)</option>
          <option value="authentication">Authentication</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Body</span>
        <textarea
          rows={4}
          maxLength={1024}
          value={values.body}
          onChange={(x) => set('body', x.target.value)}
          disabled={busy}
          placeholder="Hola {{1}}, tu pedido {{2}} está en camino."
        />
        <span className="field-hint">{'Use {{1}}, {{2}}… for the values the agent fills in.'}</span>
      </label>
      <label className="field field-checkbox">
        <input
          type="checkbox"
          checked={values.approved}
          onChange={(x) => set('approved', x.target.checked)}
          disabled={busy}
        />
        <span>Approved (agents can send it)</span>
      </label>
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="form-actions">
        {e ? (
          <button type="button" className="btn" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : e ? 'Save changes' : 'Add template'}
        </button>
      </div>
    </form>
  );
}

function TemplatesTable(props: {
  templates: Template[];
  editingId: string | undefined;
  onToggleApproved(t: Template): void;
  onEdit(t: Template): void;
  onDelete(t: Template): void;
}) {
  const sorted = [...props.templates].sort(
    (a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language),
  );
  return (
    <AdminTable testId="templates-table" columns={['Name', 'Language', 'Category', 'Body', 'Status']}>
      {sorted.map((t) => (
        <tr key={t.id} className={props.editingId === t.id ? 'row-editing' : undefined}>
          <td className="cell-mono cell-break">{t.name}</td>
          <td>{t.language}</td>
          <td>{CATEGORY_LABELS[t.category]}</td>
          <td>
            <span className="cell-clamp" title={t.body}>
              {t.body}
            </span>
          </td>
          <td className="cell-nowrap">
            <span className={`chip ${t.approved ? 'chip-ok' : 'chip-muted'}`}>
              {t.approved ? 'Approved' : 'Not approved'}
            </span>
          </td>
          <td className="cell-actions">
            <div className="template-row-actions">
              <button type="button" className="btn btn-small" onClick={() => props.onToggleApproved(t)}>
                {t.approved ? 'Unapprove' : 'Approve'}
              </button>
              <button type="button" className="btn btn-small" onClick={() => props.onEdit(t)}>
                Edit
              </button>
              <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => props.onDelete(t)}>
                Delete
              </button>
            </div>
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}

export function TemplatesPage() {
  const templates = useItemList<Template>(() => complianceApi.listTemplates({ quiet: true }));
  const [editing, setEditing] = useState<Template | null>(null);
  const [confirm, setConfirm] = useState<Template | null>(null);
  const [deleting, setDeleting] = useState(false);

  const upsert = (t: Template) => {
    templates.upsert(t);
    setEditing(null);
  };

  async function toggleApproved(t: Template): Promise<void> {
    try {
      upsert(await complianceApi.updateTemplate(t.id, { approved: !t.approved }));
    } catch {
      // The API client showed the server's message.
    }
  }

  async function remove(): Promise<void> {
    if (!confirm) return;
    setDeleting(true);
    try {
      await complianceApi.deleteTemplate(confirm.id);
      templates.remove(confirm.id);
      showToast('success', `Deleted ${confirm.name}`);
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
        title: 'Message templates',
        titleId: 'templates-title',
        meta: templates.items ? <span className="muted">{templates.items.length} saved</span> : null,
      }}
      load={{
        data: templates.data,
        error: templates.error,
        onRetry: templates.retry,
        what: 'templates',
        isEmpty: (list) => list.length === 0,
        empty: <p className="muted">No templates yet. Add the ones approved in your WhatsApp Business account.</p>,
        children: (list) => (
          <TemplatesTable
            templates={list}
            editingId={editing?.id}
            onToggleApproved={(t) => void toggleApproved(t)}
            onEdit={setEditing}
            onDelete={setConfirm}
          />
        ),
      }}
      side={{
        title: editing ? `Edit ${editing.name}` : 'Add a template',
        label: editing ? 'Edit template' : 'New template',
        children: (
          <TemplateEditor
            key={editing?.id ?? 'new'}
            editing={editing}
            onSaved={upsert}
            onCancel={() => setEditing(null)}
          />
        ),
      }}
    >
      {confirm ? (
        <ConfirmDialog
          title={`Delete ${confirm.name} (${confirm.language})?`}
          message="Agents will no longer be able to send it."
          confirmLabel="Delete"
          danger
          busy={deleting}
          onConfirm={() => void remove()}
          onCancel={() => setConfirm(null)}
        />
      ) : null}
    </AdminListPage>
  );
}
