// Lead stages: new → answered (first agent reply, with first-response time) → qualified → converted (value in
// minor units + currency) or lost. Agents set qualified/converted/lost from the console or API; every change is
// appended to the lead's history and mirrored on the conversation's `lead` view. Must never expose click ids.
import type { LeadStageInput } from '../../../shared/src/index.js';
import { isId } from '../data/ids.js';
import { mongoLeadStore } from '../data/leads.js';
import { rollupLeadChange } from './rollups.js';
import { conflict, notFound } from '../errors.js';

const store = mongoLeadStore;

export interface StageChange {
  conversationId: string;
  stage: 'answered' | 'qualified' | 'converted' | 'lost';
  previous: string;
  value: number | null;
  currency: string | null;
}

/** A lead for a conversation that has none (conversations opened before attribution existed): organic. */
async function ensureLead(conversationId: string) {
  const lead = await store.ofConversation(conversationId);
  if (lead) return lead;
  const created = await store.createOrganic(conversationId);
  if (created === null) return null;
  if (created !== 'duplicate') await rollupLeadChange(null, created);
  return store.ofConversation(conversationId);
}

/** Sets qualified / converted / lost. Throws not_found / conflict domain errors. */
export async function setLeadStage(
  conversationId: string,
  input: LeadStageInput,
  by: { id: string; name: string },
  now = new Date(),
): Promise<StageChange> {
  if (!isId(conversationId)) throw notFound('Conversation');
  const lead = await ensureLead(conversationId);
  if (!lead) throw notFound('Conversation');
  if (lead.stage === input.stage && input.stage !== 'converted')
    throw conflict('stage_unchanged', `The lead is already ${input.stage}`);
  const value = input.stage === 'converted' ? (input.value ?? null) : null;
  const currency = input.stage === 'converted' ? (input.currency ?? null) : null;
  const set: Record<string, unknown> = { stage: input.stage, value, currency };
  if (input.stage === 'qualified') set.qualifiedAt = now;
  if (input.stage === 'converted') {
    set.convertedAt = now;
    if (!lead.qualifiedAt) set.qualifiedAt = now; // a sale implies a qualified lead
  }
  if (input.stage === 'lost') set.lostAt = now;
  await store.update(lead._id, set, { stage: input.stage, at: now, by: by.id, byName: by.name, value, currency });
  await rollupLeadChange(lead, { ...lead, ...set } as typeof lead);
  await store.mirror(lead.conversationId, { stage: input.stage, value, currency });
  return { conversationId, stage: input.stage, previous: lead.stage, value, currency };
}

/** The first agent reply: stage new → answered, with the first-response time. No-op after the first. */
export async function markAnswered(conversationId: string, at: Date): Promise<StageChange | null> {
  if (!isId(conversationId)) return null;
  const lead = await store.ofConversation(conversationId, { unanswered: true });
  if (!lead) return null;
  const seconds = Math.max(0, Math.round((at.getTime() - lead.chatAt.getTime()) / 1000));
  const advance = lead.stage === 'new';
  const answered = await store.markAnswered(
    lead._id,
    { answeredAt: at, firstResponseSeconds: seconds, ...(advance ? { stage: 'answered' } : {}) },
    advance ? { stage: 'answered', at, by: null, firstResponseSeconds: seconds } : null,
  );
  if (!answered) return null;
  await rollupLeadChange(lead, { ...lead, answeredAt: at }, seconds);
  if (!advance) return null;
  await store.mirror(lead.conversationId, { stage: 'answered', value: null, currency: null });
  return { conversationId, stage: 'answered', previous: 'new', value: null, currency: null };
}

export async function leadHistory(conversationId: string) {
  if (!isId(conversationId)) return null;
  const lead = await store.history(conversationId);
  if (!lead) return null;
  return {
    stage: lead.stage,
    value: lead.value ?? null,
    currency: lead.currency ?? null,
    firstResponseSeconds: lead.firstResponseSeconds ?? null,
    history: (lead.history as Array<Record<string, unknown>>).map((h) => ({
      stage: String(h.stage),
      at: new Date(h.at as Date).toISOString(),
      by: (h.byName as string | undefined) ?? null,
      value: (h.value as number | undefined) ?? null,
      currency: (h.currency as string | undefined) ?? null,
    })),
  };
}
