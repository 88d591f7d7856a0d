// Campaigns and ads: CRUD, the catch-all "Unassigned" campaign, and auto-creating an ad first seen in a referral
// (source_id / ad_id) with its headline and creative. Views carry ad data only. Must never touch contacts.
import type { AdView, CampaignInput, CampaignView } from '../../../shared/src/index.js';
import { mongoCampaignStore, type AdLean, type CampaignLean } from '../data/campaigns.js';
import { isId, type Id } from '../data/ids.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const store = mongoCampaignStore;

export function toAdView(a: AdLean): AdView {
  return {
    id: String(a._id),
    campaignId: String(a.campaignId),
    name: a.name,
    externalId: a.externalId ?? null,
    headline: a.headline ?? null,
    creativeUrl: a.creativeUrl ?? null,
    sourceUrl: a.sourceUrl ?? null,
    autoCreated: !!a.autoCreated,
  };
}

export function toCampaignView(c: CampaignLean, ads: AdLean[] = []): CampaignView {
  return {
    id: String(c._id),
    name: c.name,
    platform: c.platform as CampaignView['platform'],
    externalId: c.externalId ?? null,
    budget: c.budget ?? null,
    spend: c.spend ?? null,
    currency: c.currency ?? null,
    startsAt: iso(c.startsAt),
    endsAt: iso(c.endsAt),
    unassigned: c.systemKey === 'unassigned',
    ads: ads.map(toAdView),
  };
}

const dates = (i: Partial<CampaignInput>) => ({
  ...(i.startsAt !== undefined ? { startsAt: i.startsAt ? new Date(i.startsAt) : null } : {}),
  ...(i.endsAt !== undefined ? { endsAt: i.endsAt ? new Date(i.endsAt) : null } : {}),
});

export async function listCampaigns(): Promise<CampaignView[]> {
  const { campaigns: camps, ads } = await store.all();
  return camps.map((c) =>
    toCampaignView(
      c,
      ads.filter((a) => String(a.campaignId) === String(c._id)),
    ),
  );
}

export async function getCampaign(id: string): Promise<CampaignView | null> {
  if (!isId(id)) return null;
  const c = await store.campaign(id);
  if (!c) return null;
  return toCampaignView(c, await store.adsOf(c._id));
}

export async function createCampaign(input: CampaignInput): Promise<CampaignView> {
  return toCampaignView(await store.createCampaign({ ...input, ...dates(input) }));
}

export async function updateCampaign(id: string, patch: Partial<CampaignInput>): Promise<CampaignView | null> {
  if (!isId(id)) return null;
  return (await store.updateCampaign(id, { ...patch, ...dates(patch) })) ? getCampaign(id) : null;
}

export async function createAd(
  campaignId: string,
  input: {
    name: string;
    externalId?: string | null;
    headline?: string | null;
    creativeUrl?: string | null;
    sourceUrl?: string | null;
  },
): Promise<AdView | null> {
  if (!isId(campaignId) || !(await store.campaignExists(campaignId))) return null;
  if (input.externalId) {
    // An ad auto-created from a referral is moved into the campaign that now claims it.
    const existing = await store.claimAd(input.externalId, campaignId, input.name);
    if (existing) return toAdView(existing);
  }
  return toAdView(await store.createAd({ ...input, campaignId }));
}

/** The catch-all campaign, created on first need (unique systemKey makes concurrent creation safe). */
export async function unassignedCampaignId(): Promise<Id> {
  const found = await store.unassignedId();
  if (found) return found;
  const created = await store.createUnassigned();
  return created === 'duplicate' ? (await store.unassignedId())! : created;
}

/** The ad with Meta id `externalId`; created under "Unassigned" the first time it is seen. */
export async function ensureAdFromReferral(r: {
  externalId: string;
  headline?: string;
  creativeUrl?: string;
  sourceUrl?: string;
}): Promise<AdLean> {
  const found = await store.adByExternalId(r.externalId);
  if (found) {
    // Fill in creative details the first referral lacked.
    const fill: Record<string, string> = {};
    if (!found.headline && r.headline) fill.headline = r.headline;
    if (!found.creativeUrl && r.creativeUrl) fill.creativeUrl = r.creativeUrl;
    if (!found.sourceUrl && r.sourceUrl) fill.sourceUrl = r.sourceUrl;
    if (Object.keys(fill).length) await store.fillAd(found._id, fill);
    return { ...found, ...fill };
  }
  const campaignId = await unassignedCampaignId();
  const a = await store.createSeenAd({
    campaignId,
    name: r.headline ? r.headline.slice(0, 120) : `Ad ${r.externalId}`,
    externalId: r.externalId,
    headline: r.headline ?? null,
    creativeUrl: r.creativeUrl ?? null,
    sourceUrl: r.sourceUrl ?? null,
    autoCreated: true,
  });
  return a === 'duplicate' ? (await store.adByExternalId(r.externalId))! : a;
}
