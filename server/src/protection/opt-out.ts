// The `compliance` inbound hook and the provider-side opt-out: a message that is just an opt-out keyword (or a
// STOP quick-reply payload) withdraws marketing consent at once, adds a visible system line and sends the
// customer one short confirmation in their language (through inbox/sender, so it passes the guard); a report
// keyword files an abuse report for supervisors; a CONSENT_<PURPOSE>_YES|NO button reply to the opt-in question
// template is recorded as consent with the question's exact text. Provider error 131050 ("user stopped marketing") withdraws
// marketing consent too. Must never log or store the customer's text, and never call a provider directly.
import type { EventBus } from '../events/bus.js';
import type { InboundContext, InboundHook } from '../inbox/hooks.js';
import type { Sender } from '../inbox/sender.js';
import type { OutboundRequest } from '../inbox/sender.js';
import type { Logger } from '../logger.js';
import { mongoAbuseReportStore, type AbuseReportStore } from '../data/abuse-reports.js';
import { mongoOptOutStore, type OptOutStore } from '../data/opt-out.js';
import { publishMessageCreated, publishReviewCreated, type ReportLike } from '../events/publish.js';
import { auditTrail, recordAudit, type AuditTrail } from '../policy/audit.js';
import { consentState, recordConsent } from '../policy/consent.js';
import { customerLanguage } from '../policy/customer-language.js';
import {
  OPT_OUT_CONFIRMATION,
  REPORT_CONFIRMATION,
  isStopPayload,
  matchKeyword,
  type KeywordLang,
} from '../policy/keywords.js';

export interface ComplianceDeps {
  bus: EventBus;
  /** The language automatic messages fall back to when the customer's cannot be told (BUSINESS_LOCALE). */
  businessLocale?: KeywordLang;
  logger?: Logger;
  /** inbox/sender's send (the only send path). */
  send(conversationId: string, req: OutboundRequest, by: Sender): Promise<unknown>;
  /** Publishes conversation.updated (consent badges change). */
  publishConversation?(conversationId: string): Promise<void>;
  /** Where system lines and reports are stored (the database unless given). */
  stores?: { optOut?: OptOutStore; reports?: AbuseReportStore };
}

export const SYSTEM_SENDER: Sender = { type: 'system', id: 'compliance', name: 'Parley' };
export const STOP_PROVIDER_ERROR = '131050';

/** A visible system line in the conversation (never sent to the customer). */
export async function addSystemLine(
  bus: EventBus,
  ids: { conversationId: string; channelId: string; contactId: string },
  text: string,
  store: OptOutStore = mongoOptOutStore,
): Promise<void> {
  const msg = await store.addSystemLine(ids, text);
  publishMessageCreated(bus, msg, { kind: 'system', id: SYSTEM_SENDER.id });
}

/** The customer's language for an automatic reply: keyword, country of their number, their messages, business. */
async function replyLanguage(
  deps: ComplianceDeps,
  ctx: InboundContext,
  keyword: readonly KeywordLang[] | undefined,
  store: OptOutStore,
): Promise<KeywordLang> {
  const fallback = deps.businessLocale ?? 'en';
  if (keyword?.length === 1) return keyword[0]!;
  const hints = (await store.languageHints?.(ctx.contactId, ctx.conversationId)) ?? { phone: null, texts: [] };
  return customerLanguage({ ...(keyword ? { keyword } : {}), phone: hints.phone, texts: hints.texts }, fallback);
}

/** Button payloads of the opt-in question template: CONSENT_MARKETING_YES / CONSENT_AD_MEASUREMENT_NO … */
const CONSENT_PAYLOAD = /^CONSENT_(MARKETING|AD_MEASUREMENT)_(YES|NO)$/;

/** A button reply to the opt-in question: recorded as consent with the exact question text the customer saw. */
async function recordButtonConsent(ctx: InboundContext, payload: string, store: OptOutStore): Promise<void> {
  const [, purpose, answer] = CONSENT_PAYLOAD.exec(payload) ?? [];
  const question = await store.questionBefore(ctx.conversationId, ctx.messageId);
  const tpl = question?.template as { name?: string; language?: string } | null | undefined;
  await recordConsent({
    contactId: ctx.contactId,
    purpose: purpose === 'MARKETING' ? 'marketing' : 'ad_measurement',
    action: answer === 'YES' ? 'granted' : 'withdrawn',
    channelId: ctx.channelId,
    method: 'button',
    ...(question?.text ? { text: question.text } : {}),
    ...(tpl?.name ? { textVersion: `${tpl.name}/${tpl.language ?? ''}` } : {}),
    evidence: { messageId: ctx.messageId },
    actor: { type: 'customer', id: ctx.contactId },
  });
}

export function createComplianceHook(deps: ComplianceDeps): InboundHook {
  const optOut = deps.stores?.optOut ?? mongoOptOutStore;
  const reports = deps.stores?.reports ?? mongoAbuseReportStore;
  return async (ctx) => {
    const consentPayload = ctx.message.replyPayload?.trim().toUpperCase();
    if (consentPayload && CONSENT_PAYLOAD.test(consentPayload)) {
      await recordButtonConsent(ctx, consentPayload, optOut);
      return { conversationChanged: true }; // ingest then publishes the conversation with the new consent state
    }
    const payloadStop = isStopPayload(ctx.message.replyPayload);
    const kw =
      ctx.message.kind === 'text' || payloadStop || ctx.message.replyPayload ? matchKeyword(ctx.message.text) : null;
    if (payloadStop || kw?.kind === 'opt_out') {
      const lang = await replyLanguage(deps, ctx, kw?.langs, optOut);
      const already = (await consentState(ctx.contactId)).marketing === 'withdrawn';
      await recordConsent({
        contactId: ctx.contactId,
        purpose: 'marketing',
        action: 'withdrawn',
        channelId: ctx.channelId,
        method: payloadStop ? 'button' : 'keyword',
        evidence: { messageId: ctx.messageId },
        actor: { type: 'customer', id: ctx.contactId },
      });
      // After the inbound message is pushed to agents (ingest publishes right after the hooks).
      setImmediate(() => void followUp(deps, ctx, 'opt_out', lang, already));
      return { conversationChanged: true };
    }
    if (kw?.kind === 'report') {
      const lang = await replyLanguage(deps, ctx, kw.langs, optOut);
      const report = await reports.file({
        conversationId: ctx.conversationId,
        channelId: ctx.channelId,
        contactId: ctx.contactId,
        messageId: ctx.messageId,
        language: lang,
      });
      await recordAudit({
        actor: { type: 'customer', id: ctx.contactId },
        action: 'report.filed',
        target: { type: 'conversation', id: ctx.conversationId },
        details: { reportId: String(report._id), language: lang },
      });
      publishReviewCreated(deps.bus, { type: 'abuse_report', report, actor: { kind: 'contact', id: ctx.contactId } });
      setImmediate(() => void followUp(deps, ctx, 'report', lang, false));
    }
  };
}

async function followUp(
  deps: ComplianceDeps,
  ctx: InboundContext,
  what: 'opt_out' | 'report',
  lang: KeywordLang,
  already: boolean,
) {
  const ids = { conversationId: ctx.conversationId, channelId: ctx.channelId, contactId: ctx.contactId };
  try {
    await addSystemLine(
      deps.bus,
      ids,
      what === 'opt_out'
        ? already
          ? 'The customer asked again to stop marketing messages (already opted out).'
          : 'The customer opted out of marketing messages. Marketing templates are now blocked for this contact.'
        : 'The customer filed an abuse report. A supervisor will review this conversation.',
      deps.stores?.optOut,
    );
    await deps.publishConversation?.(ctx.conversationId);
    await deps.send(
      ctx.conversationId,
      { text: (what === 'opt_out' ? OPT_OUT_CONFIRMATION : REPORT_CONFIRMATION)[lang] },
      SYSTEM_SENDER,
    );
  } catch (err) {
    deps.logger?.warn({ err, conversationId: ctx.conversationId, what }, 'compliance follow-up could not be completed');
  }
}

/** Subscribes to failed statuses: provider error 131050 means the customer stopped marketing messages. */
export function watchProviderOptOuts(
  deps: Pick<ComplianceDeps, 'bus' | 'logger' | 'publishConversation' | 'stores'>,
): () => void {
  const optOut = deps.stores?.optOut ?? mongoOptOutStore;
  return deps.bus.subscribe('message.status', async (e) => {
    if (e.status !== 'failed') return;
    try {
      const msg = await optOut.failure(e.messageId);
      if (!msg || String(msg.error?.code ?? '') !== STOP_PROVIDER_ERROR) return;
      const contactId = String(msg.contactId);
      if ((await consentState(contactId)).marketing === 'withdrawn') return;
      await recordConsent({
        contactId,
        purpose: 'marketing',
        action: 'withdrawn',
        channelId: String(msg.channelId),
        method: 'provider',
        evidence: { messageId: String(msg._id) },
        actor: { type: 'system', name: 'provider error 131050' },
        note: 'The provider reported that the customer stopped marketing messages (error 131050).',
      });
      await addSystemLine(
        deps.bus,
        { conversationId: String(msg.conversationId), channelId: String(msg.channelId), contactId },
        'WhatsApp reported that this customer stopped marketing messages: marketing consent is now withdrawn.',
        optOut,
      );
      await deps.publishConversation?.(String(msg.conversationId));
    } catch (err) {
      deps.logger?.warn({ err, messageId: e.messageId }, 'could not apply provider opt-out');
    }
  });
}

export interface ReportView {
  type: 'report';
  id: string;
  conversationId: string;
  channelId: string;
  contactId: string;
  messageId: string;
  language: string;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

export function toReportView(r: ReportLike): ReportView {
  return {
    type: 'report',
    id: String(r._id),
    conversationId: String(r.conversationId),
    channelId: String(r.channelId),
    contactId: String(r.contactId),
    messageId: String(r.messageId),
    language: r.language,
    status: (r.status as 'open' | 'resolved') ?? 'open',
    createdAt: (r.createdAt ?? new Date()).toISOString(),
    resolvedAt: r.resolvedAt ? r.resolvedAt.toISOString() : null,
    resolvedBy: r.resolvedBy ? String(r.resolvedBy) : null,
    resolutionNote: r.resolutionNote ?? null,
  };
}

/** Abuse reports for the review queue (newest first); `channelIds` restricts to those channels when given. */
export async function listReports(
  opts: { status?: 'open' | 'resolved'; channelIds?: string[]; limit?: number } = {},
  store: AbuseReportStore = mongoAbuseReportStore,
): Promise<ReportView[]> {
  const rows = await store.list({ status: opts.status, channelIds: opts.channelIds, limit: opts.limit ?? 200 });
  return rows.map(toReportView);
}

/** Marks a report resolved (review queue), audited. */
export async function resolveReport(
  id: string,
  by: { id: string; name: string },
  note?: string,
  store: AbuseReportStore = mongoAbuseReportStore,
  audit: AuditTrail = auditTrail,
): Promise<ReportView | null> {
  const r = await store.resolve(id, by.id, note ?? null);
  if (!r) return null;
  await audit.record({
    actor: { type: 'user', ...by },
    action: 'report.resolved',
    target: { type: 'report', id },
    details: { conversationId: String(r.conversationId) },
  });
  return toReportView(r);
}
