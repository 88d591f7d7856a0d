// Campaign and ad storage: lists, reads, creates and updates, the catch-all "Unassigned" campaign (unique system
// key), and ads found by their Meta id (claimed by a campaign, filled in, auto-created). A duplicate key on create
// is answered as 'duplicate'. Must never touch contacts.
import { AdModel, type AdRecord } from '../models/ad.js';
import { CampaignModel, type CampaignRecord } from '../models/campaign.js';
import { toId, type Id } from './ids.js';

export type AdLean = AdRecord & { _id: Id };
export type CampaignLean = CampaignRecord & { _id: Id };

const isDup = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

export interface CampaignStore {
  /** Every campaign (newest first) and every ad (oldest first). */
  all(): Promise<{ campaigns: CampaignLean[]; ads: AdLean[] }>;
  campaign(id: string): Promise<CampaignLean | null>;
  campaignExists(id: string): Promise<boolean>;
  adsOf(campaignId: Id): Promise<AdLean[]>;
  createCampaign(fields: Record<string, unknown>): Promise<CampaignLean>;
  /** False when there is no such campaign. */
  updateCampaign(id: string, set: Record<string, unknown>): Promise<boolean>;
  ad(id: unknown): Promise<AdLean | null>;
  adByExternalId(externalId: string): Promise<AdLean | null>;
  /** Moves the ad with this Meta id into the campaign (no longer auto-created); null when there is none. */
  claimAd(externalId: string, campaignId: string, name: string): Promise<AdLean | null>;
  createAd(fields: Record<string, unknown>): Promise<AdLean>;
  /** Creates an ad first seen in a referral; 'duplicate' when a concurrent first sighting created it. */
  createSeenAd(fields: Record<string, unknown>): Promise<AdLean | 'duplicate'>;
  fillAd(id: Id, fill: Record<string, string>): Promise<void>;
  /** The catch-all campaign's id, or null before it exists. */
  unassignedId(): Promise<Id | null>;
  createUnassigned(): Promise<Id | 'duplicate'>;
}

export const mongoCampaignStore: CampaignStore = {
  async all() {
    const [campaigns, ads] = await Promise.all([
      CampaignModel.find().sort({ createdAt: -1 }).lean(),
      AdModel.find().sort({ createdAt: 1 }).lean(),
    ]);
    return { campaigns, ads };
  },
  async campaign(id) {
    return CampaignModel.findById(id).lean();
  },
  async campaignExists(id) {
    return Boolean(await CampaignModel.exists({ _id: id }));
  },
  async adsOf(campaignId) {
    return AdModel.find({ campaignId }).sort({ createdAt: 1 }).lean();
  },
  async createCampaign(fields) {
    return (await CampaignModel.create(fields)).toObject();
  },
  async updateCampaign(id, set) {
    const r = await CampaignModel.updateOne({ _id: id }, { $set: set });
    return r.matchedCount > 0;
  },
  async ad(id) {
    return AdModel.findById(id).lean();
  },
  async adByExternalId(externalId) {
    return AdModel.findOne({ externalId }).lean();
  },
  async claimAd(externalId, campaignId, name) {
    return AdModel.findOneAndUpdate(
      { externalId },
      { $set: { campaignId: toId(campaignId), name, autoCreated: false } },
      { returnDocument: 'after' },
    ).lean();
  },
  async createAd(fields) {
    return (await AdModel.create(fields)).toObject();
  },
  async createSeenAd(fields) {
    try {
      return (await AdModel.create(fields)).toObject();
    } catch (err) {
      if (isDup(err)) return 'duplicate';
      throw err;
    }
  },
  async fillAd(id, fill) {
    await AdModel.updateOne({ _id: id }, { $set: fill });
  },
  async unassignedId() {
    return (await CampaignModel.findOne({ systemKey: 'unassigned' }).select('_id').lean())?._id ?? null;
  },
  async createUnassigned() {
    try {
      return (await CampaignModel.create({ name: 'Unassigned', platform: 'other', systemKey: 'unassigned' }))._id;
    } catch (err) {
      if (isDup(err)) return 'duplicate';
      throw err;
    }
  },
};
