// Message templates: the shape the API returns, variable counting, rendering with the agent's parameters, and
// the lookup the sender uses (unknown or unapproved templates are refused with 422). Must never send anything.
import type { Template, TemplateCategory } from '../../../shared/src/index.js';
import { refused } from '../errors.js';
import { MessageTemplateModel, type MessageTemplateRecord } from '../models/message-template.js';

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

export function toTemplateView(t: MessageTemplateRecord & { _id: unknown; updatedAt?: Date | null }): TemplateView {
  return {
    id: String(t._id),
    name: t.name,
    language: t.language,
    category: t.category as TemplateCategory,
    body: t.body,
    variables: variableCount(t.body),
    approved: t.approved ?? false,
    updatedAt: t.updatedAt ? t.updatedAt.toISOString() : null,
  };
}

/** The approved template a send refers to, with its parameters checked; 422 otherwise. */
export async function resolveSendableTemplate(ref: { name: string; language: string; params?: string[] }) {
  const t = await MessageTemplateModel.findOne({ name: ref.name, language: ref.language }).lean();
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
  return { category: t.category as TemplateCategory, rendered: renderTemplate(t.body, params), params };
}
