// Lead stages: new → answered (first agent reply, with first-response time) → qualified → converted (value in
// minor units + currency) or lost. Agents set qualified/converted/lost from the console or API; every change is
// appended to the lead's history and mirrored on the conversation's `lead` view. Must never expose click ids.
import { Types } from 'mongoose';
import type { LeadStageInput } from '../../../shared/src/index.js';
import { ConversationModel } from '../models/conversation.js';
import { LeadModel } from '../models/lead.js';
import { rollupLeadChange } from './rollups.js';
import { conflict, notFound } from '../errors.js';

export interface StageChange {
  conversationId: string;
  stage: 'answered' | 'qualified' | 'converted' | 'lost';
  previous: string;
  value: number | null;
  currency: string | null;
}

async function mirror(
  conversationId: Types.ObjectId | string,
  stage: string,
  value: number | null,
  currency: string | null,
) {
  await ConversationModel.updateOne({ _id: conversationId }, { $set: { lead: { stage, value, currency } } });
}

/** A lead for a conversation that has none (conversations opened before attribution existed): organic. */
async function ensureLead(conversationId: string) {
  const lead = await LeadModel.findOne({ conversationId }).lean();
  if (lead) return lead;
  const conv = await ConversationModel.findById(conversationId).lean();
  if (!conv) return null;
  try {
    const created = await LeadModel.create({
      conversationId: conv._id,
      channelId: conv.channelId,
      contactId: conv.contactId,
      source: 'organic',
      chatAt: (conv as { createdAt?: Date }).createdAt ?? new Date(),
      history: [{ stage: 'new', at: new Date(), by: null }],
    });
    await rollupLeadChange(null, created.toObject());
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return LeadModel.findOne({ conversationId }).lean();
}

/** Sets qualified / converted / lost. Throws not_found / conflict domain errors. */
export async function setLeadStage(
  conversationId: string,
  input: LeadStageInput,
  by: { id: string; name: string },
  now = new Date(),
): Promise<StageChange> {
  if (!Types.ObjectId.isValid(conversationId)) throw notFound('Conversation');
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
  await LeadModel.updateOne(
    { _id: lead._id },
    { $set: set, $push: { history: { stage: input.stage, at: now, by: by.id, byName: by.name, value, currency } } },
  );
  await rollupLeadChange(lead, { ...lead, ...set } as typeof lead);
  await mirror(lead.conversationId, input.stage, value, currency);
  return { conversationId, stage: input.stage, previous: lead.stage, value, currency };
}

/** The first agent reply: stage new → answered, with the first-response time. No-op after the first. */
export async function markAnswered(conversationId: string, at: Date): Promise<StageChange | null> {
  if (!Types.ObjectId.isValid(conversationId)) return null;
  const lead = await LeadModel.findOne({ conversationId, answeredAt: null }).lean();
  if (!lead) return null;
  const seconds = Math.max(0, Math.round((at.getTime() - lead.chatAt.getTime()) / 1000));
  const advance = lead.stage === 'new';
  const r = await LeadModel.updateOne(
    { _id: lead._id, answeredAt: null },
    {
      $set: { answeredAt: at, firstResponseSeconds: seconds, ...(advance ? { stage: 'answered' } : {}) },
      ...(advance ? { $push: { history: { stage: 'answered', at, by: null, firstResponseSeconds: seconds } } } : {}),
    },
  );
  if (r.modifiedCount !== 1) return null;
  await rollupLeadChange(lead, { ...lead, answeredAt: at }, seconds);
  if (!advance) return null;
  await mirror(lead.conversationId, 'answered', null, null);
  return { conversationId, stage: 'answered', previous: 'new', value: null, currency: null };
}

export async function leadHistory(conversationId: string) {
  if (!Types.ObjectId.isValid(conversationId)) return null;
  const lead = await LeadModel.findOne({ conversationId })
    .select('stage value currency history firstResponseSeconds')
    .lean();
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
