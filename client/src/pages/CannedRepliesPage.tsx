// Admin → Canned replies: the team's saved answers (shortcut, title, text) that agents insert with "/shortcut";
// list, create, edit and delete. Validated with the shared schema. Must never render reply text as HTML.
import { useState, type FormEvent } from 'react';
import {
  CreateCannedReplyBodySchema,
  type CannedReply,
  type CreateCannedReplyBody,
} from '../../../shared/src/index.js';
import { adminApi } from '../api/admin.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { showToast } from '../toast-store.js';
import { useItemList } from '../hooks/useItemList.js';
import { AdminListPage } from '../components/admin/AdminListPage.js';
import { AdminTable } from '../components/admin/AdminTable.js';

type Field = 'shortcut' | 'title' | 'text';
const LABELS: Record<Field, string> = { shortcut: 'Shortcut', title: 'Title', text: 'Text' };
const EMPTY: CreateCannedReplyBody = { shortcut: '', title: '', text: '' };

function CannedForm(props: { editing: CannedReply | null; onSaved(reply: CannedReply): void; onCancel(): void }) {
  const [values, setValues] = useState<CreateCannedReplyBody>(
    props.editing ? { shortcut: props.editing.shortcut, title: props.editing.title, text: props.editing.text } : EMPTY,
  );
  const [errors, setErrors] = useState<Partial<Record<Field | 'form', string>>>({});
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    const parsed = CreateCannedReplyBodySchema.safeParse({ ...values, shortcut: values.shortcut.replace(/^\//, '') });
    if (!parsed.success) {
      const found: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const f = issue.path[0] as Field;
        if (f in LABELS) found[f] ??= values[f].trim() ? `${LABELS[f]}: ${issue.message}` : `${LABELS[f]} is required`;
      }
      return setErrors(found);
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = props.editing
        ? await adminApi.updateCannedReply(props.editing.id, parsed.data, { quiet: true })
        : await adminApi.createCannedReply(parsed.data, { quiet: true });
      props.onSaved(saved);
      if (!props.editing) setValues(EMPTY);
      showToast('success', `Saved /${saved.shortcut}`);
    } catch (err) {
      setErrors({ form: err instanceof Error ? err.message : 'Could not save' });
    } finally {
      setBusy(false);
    }
  }

  const set = (f: Field, v: string) => setValues((x) => ({ ...x, [f]: v }));
  const err = (f: Field) =>
    errors[f] ? (
      <span className="field-error" role="alert">
        {errors[f]}
      </span>
    ) : null;

  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="canned-form-title">
      <label className="field">
        <span className="field-label">Shortcut</span>
        <span className="input-prefix">
          <span aria-hidden="true">/</span>
          <input
            value={values.shortcut}
            maxLength={33}
            onChange={(e) => set('shortcut', e.target.value)}
            disabled={busy}
            placeholder="shipping"
            aria-invalid={errors.shortcut ? true : undefined}
          />
        </span>
        {err('shortcut') ?? (
          <span className="field-hint">Agents type /{values.shortcut || 'shortcut'} to insert it.</span>
        )}
      </label>
      <label className="field">
        <span className="field-label">Title</span>
        <input
          value={values.title}
          maxLength={80}
          onChange={(e) => set('title', e.target.value)}
          disabled={busy}
          aria-invalid={errors.title ? true : undefined}
        />
        {err('title')}
      </label>
      <label className="field">
        <span className="field-label">Text</span>
        <textarea
          rows={5}
          value={values.text}
          maxLength={4096}
          onChange={(e) => set('text', e.target.value)}
          disabled={busy}
          aria-invalid={errors.text ? true : undefined}
        />
        {err('text')}
      </label>
      {errors.form ? (
        <div className="form-error" role="alert">
          {errors.form}
        </div>
      ) : null}
      <div className="form-actions">
        {props.editing ? (
          <button type="button" className="btn" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : props.editing ? 'Save changes' : 'Add canned reply'}
        </button>
      </div>
    </form>
  );
}

function CannedTable(props: {
  replies: CannedReply[];
  editingId: string | undefined;
  onEdit(reply: CannedReply): void;
  onDelete(reply: CannedReply): void;
}) {
  const sorted = [...props.replies].sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  return (
    <AdminTable testId="canned-table" columns={['Shortcut', 'Title', 'Text']}>
      {sorted.map((r) => (
        <tr key={r.id} className={props.editingId === r.id ? 'row-editing' : undefined}>
          <td className="cell-mono">/{r.shortcut}</td>
          <td className="cell-strong">{r.title}</td>
          <td className="cell-text">{r.text}</td>
          <td className="cell-actions">
            <button type="button" className="btn btn-small" onClick={() => props.onEdit(r)}>
              Edit
            </button>{' '}
            <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => props.onDelete(r)}>
              Delete
            </button>
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}

export function CannedRepliesPage() {
  const replies = useItemList<CannedReply>(() => adminApi.listCannedReplies());
  const [editing, setEditing] = useState<CannedReply | null>(null);
  const [confirm, setConfirm] = useState<CannedReply | null>(null);
  const [deleting, setDeleting] = useState(false);

  const upsert = (r: CannedReply) => {
    replies.upsert(r);
    setEditing(null);
  };

  async function remove(): Promise<void> {
    if (!confirm) return;
    setDeleting(true);
    try {
      await adminApi.deleteCannedReply(confirm.id);
      replies.remove(confirm.id);
      if (editing?.id === confirm.id) setEditing(null);
      showToast('success', `Deleted /${confirm.shortcut}`);
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
        title: 'Canned replies',
        titleId: 'canned-title',
        meta: replies.items ? <span className="muted">{replies.items.length} saved</span> : null,
      }}
      load={{
        data: replies.data,
        error: replies.error,
        onRetry: replies.retry,
        what: 'canned replies',
        isEmpty: (list) => list.length === 0,
        empty: <p className="muted">No canned replies yet. Add the answers your team gives most often.</p>,
        children: (list) => (
          <CannedTable replies={list} editingId={editing?.id} onEdit={setEditing} onDelete={setConfirm} />
        ),
      }}
      side={{
        title: editing ? `Edit /${editing.shortcut}` : 'Add a canned reply',
        titleId: 'canned-form-title',
        children: (
          <CannedForm key={editing?.id ?? 'new'} editing={editing} onSaved={upsert} onCancel={() => setEditing(null)} />
        ),
      }}
    >
      {confirm ? (
        <ConfirmDialog
          title={`Delete /${confirm.shortcut}?`}
          message={`“${confirm.title}” will no longer be offered in the composer.`}
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
