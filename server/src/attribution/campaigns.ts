// Campaigns and ads: CRUD, the catch-all "Unassigned" campaign, and auto-creating an ad first seen in a referral
// (source_id / ad_id) with its headline and creative. Views carry ad data only. Must never touch contacts.
import { Types } from 'mongoose';
import type { AdView, CampaignInput, CampaignView } from '../../../shared/src/index.js';
import { AdModel, type AdRecord } from '../models/ad.js';
import { CampaignModel, type CampaignRecord } from '../models/campaign.js';

type WithId<T> = T & { _id: Types.ObjectId };
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const isDup = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

export function toAdView(a: WithId<AdRecord>): AdView {
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

export function toCampaignView(c: WithId<CampaignRecord>, ads: WithId<AdRecord>[] = []): CampaignView {
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
  const [camps, ads] = await Promise.all([
    CampaignModel.find().sort({ createdAt: -1 }).lean(),
    AdModel.find().sort({ createdAt: 1 }).lean(),
  ]);
  return camps.map((c) =>
    toCampaignView(
      c,
      ads.filter((a) => String(a.campaignId) === String(c._id)),
    ),
  );
}

export async function getCampaign(id: string): Promise<CampaignView | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const c = await CampaignModel.findById(id).lean();
  if (!c) return null;
  return toCampaignView(c, await AdModel.find({ campaignId: c._id }).sort({ createdAt: 1 }).lean());
}

export async function createCampaign(input: CampaignInput): Promise<CampaignView> {
  const c = await CampaignModel.create({ ...input, ...dates(input) });
  return toCampaignView(c.toObject());
}

export async function updateCampaign(id: string, patch: Partial<CampaignInput>): Promise<CampaignView | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const r = await CampaignModel.updateOne({ _id: id }, { $set: { ...patch, ...dates(patch) } });
  return r.matchedCount ? getCampaign(id) : null;
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
  if (!Types.ObjectId.isValid(campaignId) || !(await CampaignModel.exists({ _id: campaignId }))) return null;
  if (input.externalId) {
    // An ad auto-created from a referral is moved into the campaign that now claims it.
    const existing = await AdModel.findOneAndUpdate(
      { externalId: input.externalId },
      { $set: { campaignId: new Types.ObjectId(campaignId), name: input.name, autoCreated: false } },
      { returnDocument: 'after' },
    ).lean();
    if (existing) return toAdView(existing);
  }
  const a = await AdModel.create({ ...input, campaignId });
  return toAdView(a.toObject());
}

/** The catch-all campaign, created on first need (unique systemKey makes concurrent creation safe). */
export async function unassignedCampaignId(): Promise<Types.ObjectId> {
  const found = await CampaignModel.findOne({ systemKey: 'unassigned' }).select('_id').lean();
  if (found) return found._id;
  try {
    return (await CampaignModel.create({ name: 'Unassigned', platform: 'other', systemKey: 'unassigned' }))._id;
  } catch (err) {
    if (!isDup(err)) throw err;
    return (await CampaignModel.findOne({ systemKey: 'unassigned' }).select('_id').lean())!._id;
  }
}

/** The ad with Meta id `externalId`; created under "Unassigned" the first time it is seen. */
export async function ensureAdFromReferral(r: {
  externalId: string;
  headline?: string;
  creativeUrl?: string;
  sourceUrl?: string;
}): Promise<WithId<AdRecord>> {
  const found = await AdModel.findOne({ externalId: r.externalId }).lean();
  if (found) {
    // Fill in creative details the first referral lacked.
    const fill: Record<string, string> = {};
    if (!found.headline && r.headline) fill.headline = r.headline;
    if (!found.creativeUrl && r.creativeUrl) fill.creativeUrl = r.creativeUrl;
    if (!found.sourceUrl && r.sourceUrl) fill.sourceUrl = r.sourceUrl;
    if (Object.keys(fill).length) await AdModel.updateOne({ _id: found._id }, { $set: fill });
    return { ...found, ...fill };
  }
  const campaignId = await unassignedCampaignId();
  try {
    const a = await AdModel.create({
      campaignId,
      name: r.headline ? r.headline.slice(0, 120) : `Ad ${r.externalId}`,
      externalId: r.externalId,
      headline: r.headline ?? null,
      creativeUrl: r.creativeUrl ?? null,
      sourceUrl: r.sourceUrl ?? null,
      autoCreated: true,
    });
    return a.toObject();
  } catch (err) {
    if (!isDup(err)) throw err;
    return (await AdModel.findOne({ externalId: r.externalId }).lean())!;
  }
}
