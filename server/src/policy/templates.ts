// Message templates: the shape the API returns, variable counting, rendering with the agent's parameters, the
// lookup the sender uses (unknown or unapproved templates are refused with 422) and the admins' audited create /
// edit / delete (editing an approved template's text withdraws its approval unless approval is set in the same
// change). Must never send anything.
import type { Template, TemplateCategory } from '../../../shared/src/index.js';
import { conflict, notFound, refused } from '../errors.js';
import { isId } from '../data/ids.js';
import { mongoTemplateStore, type TemplateFields, type TemplateLean } from '../data/templates.js';
import { recordAudit, type AuditInput } from './audit.js';

const store = mongoTemplateStore;

export type { TemplateCategory };
export type TemplateView = Template;

/** Highest {{n}} in the body. */
export function variableCount(body: string): number {
  let max = 0;
  for (const m of body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) max = Math.max(max, Number(m[1]));
  return max;
}

export function renderTemplate(body: string, params: readonly string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (all, n: string) => params[Number(n) - 1] ?? all);
}

export function toTemplateView(t: TemplateLean): TemplateView {
  return {
    id: String(t._id),
    name: t.name,
    language: t.language,
    category: t.category as TemplateCategory,
    body: t.body,
    variables: variableCount(t.body),
    approved: t.approved ?? false,
    providerStatus: (t.providerStatus as Template['providerStatus']) ?? null,
    providerStatusReason: t.providerStatusReason ?? null,
    updatedAt: t.updatedAt ? t.updatedAt.toISOString() : null,
  };
}

/** The approved template a send refers to, with its parameters checked; 422 otherwise. */
export async function resolveSendableTemplate(ref: { name: string; language: string; params?: string[] }) {
  const t = await store.byNameAndLanguage(ref.name, ref.language);
  if (!t) {
    throw refused(
      'template_not_approved',
      `There is no template “${ref.name}” (${ref.language}). Pick one from the approved list.`,
    );
  }
  if (!t.approved) {
    throw refused(
      'template_not_approved',
      `The template “${ref.name}” (${ref.language}) is not approved yet, so it cannot be sent.`,
    );
  }
  const params = ref.params ?? [];
  const needed = variableCount(t.body);
  if (params.length !== needed || params.some((p) => !p.trim())) {
    throw refused(
      'template_params',
      `The template “${ref.name}” needs ${needed} value(s), each filled in (got ${params.filter((p) => p.trim()).length}).`,
    );
  }
  return {
    category: t.category as TemplateCategory,
    rendered: renderTemplate(t.body, params),
    params,
    providerStatus: t.providerStatus ?? null,
    providerStatusReason: t.providerStatusReason ?? null,
  };
}

/** The templates a user may see: all for admins, the approved ones for everyone else. */
export async function listTemplates(opts: { all: boolean }): Promise<TemplateView[]> {
  return (await store.list({ approvedOnly: !opts.all })).map(toTemplateView);
}

const exists = (name: string, language: string) =>
  conflict('template_exists', `A template “${name}” in ${language} already exists.`);

export async function createTemplate(fields: TemplateFields, by: AuditInput['actor'] & { id: string }) {
  if (await store.exists(fields.name, fields.language)) throw exists(fields.name, fields.language);
  const t = await store.create(fields, by.id);
  await recordAudit({
    actor: by,
    action: 'template.created',
    target: { type: 'template', id: String(t._id) },
    details: { name: t.name, language: t.language, category: t.category, approved: t.approved },
  });
  return toTemplateView(t);
}

export async function updateTemplate(id: string, patch: Partial<TemplateFields>, by: AuditInput['actor']) {
  if (!isId(id)) throw notFound('Template');
  const t = await store.edit(id, async (current) => {
    const next = { name: patch.name ?? current.name, language: patch.language ?? current.language };
    if ((patch.name || patch.language) && (await store.exists(next.name, next.language, current._id)))
      throw exists(next.name, next.language);
    // Editing the text of an approved template needs a new approval unless approval is set in the same change.
    const bodyChanged = patch.body !== undefined && patch.body !== current.body;
    return bodyChanged && patch.approved === undefined ? { ...patch, approved: false } : patch;
  });
  if (!t) throw notFound('Template');
  await recordAudit({
    actor: by,
    action: 'template.updated',
    target: { type: 'template', id: String(t._id) },
    details: { fields: Object.keys(patch), approved: t.approved },
  });
  return toTemplateView(t);
}

export async function deleteTemplate(id: string, by: AuditInput['actor']): Promise<void> {
  if (!isId(id)) throw notFound('Template');
  const t = await store.remove(id);
  if (!t) throw notFound('Template');
  await recordAudit({
    actor: by,
    action: 'template.deleted',
    target: { type: 'template', id },
    details: { name: t.name, language: t.language },
  });
}
