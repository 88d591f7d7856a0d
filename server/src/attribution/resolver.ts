// Attribution of a conversation's first inbound message, in this order: Cloud API referral (ctwa); Messenger
// referral (ctm, event/postback/message — ingest keeps an early one as pendingReferral and stores it on the
// message); whatsapp-web.js ctwaContext (also a ctwa referral); a ref code (m.me `ref` or "[ref:CODE]" in the
// text) matched to its tracked-link click — a landing opt-in on that click goes to the consent ledger; else
// organic. Writes the lead record and the conversation's Attribution view. Runs as the `attribution` inbound hook.
// Must never put ctwa_clid / PSID into the Attribution view (only hasClickId) nor log message text.
import type { Attribution } from '../../../shared/src/index.js';
import type { Referral } from '../channels/adapter.js';
import type { InboundContext } from '../inbox/hooks.js';
import { recordConsent } from '../policy/consent.js';
import { mongoAttributionStore } from '../data/attribution.js';
import type { AdLean } from '../data/campaigns.js';
import type { Id } from '../data/ids.js';
import type { LinkClickLean } from '../data/links.js';
import { ensureAdFromReferral, unassignedCampaignId } from './campaigns.js';
import { refCodeIn } from './links.js';
import { rollupLeadChange } from './rollups.js';

const store = mongoAttributionStore;

export interface Resolved {
  source: Attribution['source'];
  campaignId: Id | null;
  ad: AdLean | null;
  clickId: Id | null;
  clickedAt: Date | null;
  ctwaClid: string | null;
  pageId: string | null;
  psid: string | null;
  headline?: string;
  sourceUrl?: string;
  mediaUrl?: string;
}

export interface ResolveInput {
  conversationId: string;
  contactId: string;
  channelId: string;
  messageId: string;
  text: string | null;
  timestamp: Date;
  referral: Referral | null;
  identities: Array<{ kind: string; value: string }>;
}

async function findClick(code: string | null) {
  return code ? store.clickByCode(code) : null;
}

/** Claims a click for this conversation; writes the landing opt-in to the consent ledger the first time. */
async function claimClick(click: LinkClickLean, input: ResolveInput): Promise<void> {
  const claimed = await store.claimClick(click._id, input.conversationId);
  const optIn = click.optIn as { version: string; text: string } | null;
  if (claimed && optIn) {
    await recordConsent({
      contactId: input.contactId,
      purpose: 'marketing',
      action: 'granted',
      channelId: input.channelId,
      method: 'landing_form',
      textVersion: optIn.version,
      text: optIn.text,
      evidence: { messageId: input.messageId, clickId: String(click._id) },
      actor: { type: 'customer', id: input.contactId },
    });
  }
}

export async function resolveAttribution(input: ResolveInput): Promise<Resolved> {
  const ref = input.referral;
  const psidIdentity = input.identities.find((i) => i.kind === 'psid')?.value ?? null;
  const [pageId, psid] = psidIdentity?.includes(':') ? psidIdentity.split(':', 2) : [null, psidIdentity];
  const codeFromText = refCodeIn(input.text);
  const base: Resolved = {
    source: 'organic',
    campaignId: null,
    ad: null,
    clickId: null,
    clickedAt: null,
    ctwaClid: null,
    pageId: null,
    psid: null,
  };

  if (ref && (ref.source === 'ctwa' || ref.source === 'ctm')) {
    const ad = ref.adId
      ? await ensureAdFromReferral({
          externalId: ref.adId,
          headline: ref.headline,
          creativeUrl: ref.mediaUrl ?? ref.thumbnailUrl,
          sourceUrl: ref.sourceUrl,
        })
      : null;
    // A ctwaContext without an ad id: a matching ref code in the text tells which link/ad it was.
    const click = ad ? null : await findClick(codeFromText ?? (ref.ref ? ref.ref.toUpperCase() : null));
    if (click) await claimClick(click, input);
    const clickAd = click?.adId ? await store.ad(click.adId) : null;
    return {
      ...base,
      source: ref.source,
      ad: ad ?? clickAd,
      campaignId: ad?.campaignId ?? click?.campaignId ?? (await unassignedCampaignId()),
      clickId: click?._id ?? null,
      clickedAt: click?.at ?? input.timestamp,
      ctwaClid: ref.source === 'ctwa' ? (ref.clickId ?? null) : null,
      pageId: ref.source === 'ctm' ? pageId : null,
      psid: ref.source === 'ctm' ? psid : null,
      headline: ref.headline ?? ad?.headline ?? undefined,
      sourceUrl: ref.sourceUrl ?? ad?.sourceUrl ?? undefined,
      mediaUrl: ref.mediaUrl ?? ref.thumbnailUrl ?? ad?.creativeUrl ?? undefined,
    };
  }

  const code = ref?.ref ? ref.ref.toUpperCase() : codeFromText;
  const click = await findClick(code);
  if (click) {
    await claimClick(click, input);
    const [ad, linkName] = await Promise.all([click.adId ? store.ad(click.adId) : null, store.linkName(click.linkId)]);
    return {
      ...base,
      source: 'link',
      ad,
      campaignId: click.campaignId ?? null,
      clickId: click._id,
      clickedAt: click.at,
      pageId: ref ? pageId : null,
      psid: ref ? psid : null,
      headline: ad?.headline ?? linkName ?? undefined,
      sourceUrl: ad?.sourceUrl ?? undefined,
      mediaUrl: ad?.creativeUrl ?? undefined,
    };
  }
  return base;
}

/** http(s) URLs, or same-origin paths (the sandbox's demo creatives). */
const SAFE_URL = /^(https?:\/\/|\/(?![/\\]))/i;

/** The masked Attribution view kept on the conversation (no click ids, no PSIDs). */
export function attributionView(r: Resolved): Attribution {
  const a: Attribution = { source: r.source, hasClickId: !!r.ctwaClid };
  if (r.campaignId) a.campaignId = String(r.campaignId);
  if (r.ad) a.adId = r.ad.externalId ?? String(r.ad._id);
  if (r.headline) a.headline = r.headline;
  if (r.sourceUrl && SAFE_URL.test(r.sourceUrl)) a.sourceUrl = r.sourceUrl;
  if (r.mediaUrl && SAFE_URL.test(r.mediaUrl)) a.mediaUrl = r.mediaUrl;
  if (r.clickedAt && r.source !== 'organic') a.clickedAt = r.clickedAt.toISOString();
  return a;
}

/**
 * The inbound hook: on a conversation's first inbound message, resolves attribution, stores it on the message,
 * the lead record and the conversation. Returns the lead's id when a lead was created (null otherwise).
 */
export async function attributeFirstInbound(
  ctx: InboundContext,
): Promise<{ leadCreated: boolean; resolved: Resolved | null }> {
  if (!ctx.firstInbound) return { leadCreated: false, resolved: null };
  if (await store.leadExists(ctx.conversationId)) return { leadCreated: false, resolved: null };
  const referral: (Referral & { at?: string }) | null = ctx.referral ?? ctx.message.referral ?? null;
  const referralAt = typeof referral?.at === 'string' ? new Date(referral.at) : null;
  const resolved = await resolveAttribution({
    conversationId: ctx.conversationId,
    contactId: ctx.contactId,
    channelId: ctx.channelId,
    messageId: ctx.messageId,
    text: ctx.message.text,
    timestamp: referralAt ?? ctx.message.timestamp,
    referral,
    identities: ctx.message.identities,
  });
  const view = attributionView(resolved);
  const lead = await store.insertLead({
    conversationId: ctx.conversationId,
    channelId: ctx.channelId,
    contactId: ctx.contactId,
    channelKind: ctx.channelKind,
    source: resolved.source,
    campaignId: resolved.campaignId,
    adId: resolved.ad?._id ?? null,
    clickId: resolved.clickId,
    clickedAt: resolved.clickedAt,
    firstMessageId: ctx.messageId,
    chatAt: ctx.message.timestamp,
    ctwaClid: resolved.ctwaClid,
    pageId: resolved.pageId,
    psid: resolved.psid,
    stage: 'new',
    history: [{ stage: 'new', at: ctx.message.timestamp, by: null }],
  });
  if (lead === 'duplicate') return { leadCreated: false, resolved: null };
  await Promise.all([
    rollupLeadChange(null, {
      chatAt: ctx.message.timestamp,
      campaignId: resolved.campaignId,
      adId: resolved.ad?._id ?? null,
      stage: 'new',
    }),
    store.storeAttribution(ctx.messageId, ctx.conversationId, view),
  ]);
  return { leadCreated: true, resolved };
}
