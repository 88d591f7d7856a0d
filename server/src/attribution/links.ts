// Tracked click-to-chat links: create/list, record a click (short unguessable ref code, campaign/ad, UTM, fbclid,
// coarse user-agent family — never the raw IP or full user agent), the wa.me / m.me target carrying the code, and
// the landing step's versioned marketing opt-in. Must never store contact identities or message text.
import { randomBytes, randomInt } from 'node:crypto';
import type { LinkInput, LinkView } from '../../../shared/src/index.js';
import { mongoCampaignStore } from '../data/campaigns.js';
import { isId } from '../data/ids.js';
import { mongoLinkStore, type LinkClickLean, type TrackedLinkLean } from '../data/links.js';
import { rollupClick } from './rollups.js';
import { refused } from '../errors.js';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; // no 0/O, 1/I/L
const store = mongoLinkStore;
const campaigns = mongoCampaignStore;
/** Slugs and click codes are drawn again on a clash, a few times. */
const MAX_DRAWS = 6;

/** Version of the landing opt-in text; bump when LANDING_OPT_IN_TEXT changes (the ledger keeps both). */
import { landingOptInText, landingOptInVersion } from './landing-texts.js';
import type { CustomerLang } from '../policy/customer-language.js';
export { LANDING_OPT_IN_VERSION, landingOptInText } from './landing-texts.js';

/** Ref code marker in prefilled wa.me text: "… [ref:K7Q2ABCD]". */
export const REF_PATTERN = /\[ref:([2-9A-Za-z]{4,12})\]/i;
export function refCodeIn(text: string | null | undefined): string | null {
  return text ? (REF_PATTERN.exec(text)?.[1]?.toUpperCase() ?? null) : null;
}

function code(len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export function linkUrl(baseUrl: string, slug: string): string {
  return `${baseUrl.replace(/\/$/, '')}/c/${slug}`;
}

export function toLinkView(l: TrackedLinkLean, baseUrl: string, channelKind: string): LinkView {
  return {
    id: String(l._id),
    slug: l.slug,
    url: linkUrl(baseUrl, l.slug),
    name: l.name,
    channelId: String(l.channelId),
    channelKind,
    campaignId: l.campaignId ? String(l.campaignId) : null,
    adId: l.adId ? String(l.adId) : null,
    prefilledText: l.prefilledText ?? '',
    landing: !!l.landing,
    clicks: l.clicks ?? 0,
    createdAt: (l.createdAt ?? new Date()).toISOString(),
  };
}

export class LinkError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export async function createLink(input: LinkInput, userId: string | null, baseUrl: string): Promise<LinkView> {
  const channel = await store.channel(input.channelId);
  if (!channel) throw new LinkError('channelId', 'no such channel');
  // A WhatsApp link opens wa.me/<the number customers see>: without it the chat would open with nobody.
  if (
    channel.kind !== 'messenger' &&
    !/\d{6,}/.test((channel.displayNumber ?? channel.configDisplayNumber ?? '').replace(/\D/g, ''))
  ) {
    throw refused(
      'channel_number_unknown',
      'The phone number of this WhatsApp channel is not known yet, so a link would open a chat with nobody. Set it (WHATSAPP_DISPLAY_PHONE_NUMBER, or the display number in Admin → Channels), or wait for the first customer message: WhatsApp reports the number with every webhook.',
    );
  }
  let campaignId = input.campaignId ?? null;
  if (input.adId) {
    const ad = await campaigns.ad(input.adId);
    if (!ad) throw new LinkError('adId', 'no such ad');
    if (campaignId && String(ad.campaignId) !== campaignId) throw new LinkError('adId', 'belongs to another campaign');
    campaignId = String(ad.campaignId);
  }
  if (campaignId && !(await campaigns.campaignExists(campaignId)))
    throw new LinkError('campaignId', 'no such campaign');
  for (let i = 0; i < MAX_DRAWS; i++) {
    const l = await store.createLink({
      slug: randomBytes(6).toString('base64url'),
      name: input.name,
      channelId: channel._id,
      campaignId,
      adId: input.adId ?? null,
      prefilledText: input.prefilledText ?? 'Hi! I would like to know more.',
      landing: input.landing ?? false,
      createdBy: userId,
    });
    if (l !== 'duplicate') return toLinkView(l, baseUrl, channel.kind);
  }
  throw new Error('could not draw a unique link slug');
}

export async function listLinks(baseUrl: string): Promise<LinkView[]> {
  const [links, kinds] = await Promise.all([store.links(500), store.channelKinds()]);
  return links.map((l) => toLinkView(l, baseUrl, kinds.get(String(l.channelId)) ?? 'unknown'));
}

export async function getLink(id: string, baseUrl: string): Promise<LinkView | null> {
  if (!isId(id)) return null;
  const l = await store.link(id);
  if (!l) return null;
  const ch = await store.channel(l.channelId);
  return toLinkView(l, baseUrl, ch?.kind ?? 'unknown');
}

/** A coarse user-agent family; the user agent itself is never stored. */
export function uaFamily(ua: string | undefined): 'ios' | 'android' | 'desktop' | 'bot' | 'other' {
  if (!ua) return 'other';
  if (/bot|crawl|spider|facebookexternalhit|preview|slurp/i.test(ua)) return 'bot';
  if (/iPhone|iPad|iPod/i.test(ua)) return 'ios';
  if (/Android/i.test(ua)) return 'android';
  if (/Windows|Macintosh|X11|Linux|CrOS/i.test(ua)) return 'desktop';
  return 'other';
}

const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;
const short = (v: unknown) => (typeof v === 'string' && v.length ? v.slice(0, 200) : null);

export interface ClickResult {
  link: TrackedLinkLean;
  channel: { kind: string; externalId: string; displayNumber: string | null };
  /** Null for crawlers (link previews are not clicks). */
  click: LinkClickLean | null;
}

/** Records one click on `/c/:slug` (null when there is no such link). */
export async function recordClick(
  slug: string,
  query: Record<string, unknown>,
  userAgent?: string,
): Promise<ClickResult | null> {
  if (!/^[\w-]{4,32}$/.test(slug)) return null;
  const link = await store.linkBySlug(slug);
  if (!link) return null;
  const ch = await store.channel(link.channelId);
  if (!ch) return null;
  const channel = {
    kind: ch.kind,
    externalId: ch.externalId,
    displayNumber: ch.displayNumber ?? ch.configDisplayNumber,
  };
  const family = uaFamily(userAgent);
  if (family === 'bot') return { link, channel, click: null };
  const utm: Record<string, string> = {};
  for (const k of UTM_KEYS) {
    const v = short(query[k]);
    if (v) utm[k.slice(4)] = v;
  }
  for (let i = 0; i < MAX_DRAWS; i++) {
    const click = await store.createClick({
      code: code(8),
      linkId: link._id,
      channelId: link.channelId,
      campaignId: link.campaignId,
      adId: link.adId,
      at: new Date(),
      utm,
      fbclid: short(query.fbclid),
      uaFamily: family,
    });
    if (click === 'duplicate') continue;
    await store.countClick(link._id);
    await rollupClick(click);
    return { link, channel, click };
  }
  throw new Error('could not draw a unique click code');
}

/** Where the customer goes: wa.me with the prefilled text ending in the ref code, or m.me with `ref`. */
export function chatTarget(r: Pick<ClickResult, 'link' | 'channel'>, refCode: string | null): string {
  if (r.channel.kind === 'messenger') {
    const ref = refCode ? `?ref=${encodeURIComponent(refCode)}` : '';
    return `https://m.me/${encodeURIComponent(r.channel.externalId)}${ref}`;
  }
  const digits = (r.channel.displayNumber ?? '').replace(/\D/g, '') || r.channel.externalId.replace(/\D/g, '');
  const text = [r.link.prefilledText?.trim(), refCode ? `[ref:${refCode}]` : ''].filter(Boolean).join(' ');
  return `https://wa.me/${digits}${text ? `?text=${encodeURIComponent(text)}` : ''}`;
}

/** Landing step: remembers the ticked opt-in (exact text + version) on the click. Returns the click or null. */
export async function recordLandingOptIn(
  slug: string,
  clickCode: string,
  ticked: boolean,
  business: string,
  lang: CustomerLang = 'en',
) {
  const link = await store.linkBySlug(slug);
  if (!link || !/^[2-9A-Z]{4,12}$/.test(clickCode)) return null;
  const click = await store.clickByCode(clickCode, link._id);
  if (!click) return null;
  if (ticked && !click.conversationId) {
    await store.setOptIn(click._id, {
      version: landingOptInVersion(lang),
      text: landingOptInText(business, lang),
      at: new Date(),
    });
  }
  const ch = await store.channel(link.channelId);
  if (!ch) return null;
  return {
    link,
    channel: { kind: ch.kind, externalId: ch.externalId, displayNumber: ch.displayNumber ?? ch.configDisplayNumber },
    click,
  };
}

export async function clickByCode(refCode: string) {
  return store.clickByCode(refCode);
}
