// Tracked link and click storage: links (create with a fresh slug, list, by id or slug), the channel a link
// opens (kind, external id, display number), clicks (create with a fresh code, by code, the landing opt-in) and
// the link's click counter. A slug or code clash is answered as 'duplicate' so the caller draws another. Must never
// store contact identities, message text, the raw IP or the user agent.
import { ChannelModel } from '../models/channel.js';
import { LinkClickModel, type LinkClickRecord } from '../models/link-click.js';
import { TrackedLinkModel, type TrackedLinkRecord } from '../models/tracked-link.js';
import type { Id } from './ids.js';

export type TrackedLinkLean = TrackedLinkRecord & { _id: Id };
export type LinkClickLean = LinkClickRecord & { _id: Id };
export interface LinkChannel {
  _id: Id;
  kind: string;
  externalId: string;
  displayNumber: string | null;
  /** The display number kept in the channel's settings by older versions. */
  configDisplayNumber: string | null;
}

const isDup = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

export interface LinkStore {
  channel(id: unknown): Promise<LinkChannel | null>;
  /** Channel kinds by channel id. */
  channelKinds(): Promise<Map<string, string>>;
  createLink(fields: Record<string, unknown>): Promise<TrackedLinkLean | 'duplicate'>;
  /** The newest links (up to `limit`). */
  links(limit: number): Promise<TrackedLinkLean[]>;
  link(id: string): Promise<TrackedLinkLean | null>;
  linkBySlug(slug: string): Promise<TrackedLinkLean | null>;
  createClick(fields: Record<string, unknown>): Promise<LinkClickLean | 'duplicate'>;
  countClick(linkId: Id): Promise<void>;
  clickByCode(code: string, linkId?: Id): Promise<LinkClickLean | null>;
  setOptIn(clickId: Id, optIn: { version: string; text: string; at: Date }): Promise<void>;
}

export const mongoLinkStore: LinkStore = {
  async channel(id) {
    const ch = await ChannelModel.findById(id).select('kind externalId displayNumber config').lean();
    if (!ch) return null;
    return {
      _id: ch._id,
      kind: ch.kind,
      externalId: ch.externalId,
      displayNumber: ch.displayNumber ?? null,
      configDisplayNumber: (ch.config as { displayNumber?: string } | null)?.displayNumber ?? null,
    };
  },
  async channelKinds() {
    const channels = await ChannelModel.find().select('kind').lean();
    return new Map(channels.map((c) => [String(c._id), c.kind]));
  },
  async createLink(fields) {
    try {
      return (await TrackedLinkModel.create(fields)).toObject();
    } catch (err) {
      if (isDup(err)) return 'duplicate';
      throw err;
    }
  },
  async links(limit) {
    return TrackedLinkModel.find().sort({ createdAt: -1 }).limit(limit).lean();
  },
  async link(id) {
    return TrackedLinkModel.findById(id).lean();
  },
  async linkBySlug(slug) {
    return TrackedLinkModel.findOne({ slug }).lean();
  },
  async createClick(fields) {
    try {
      return (await LinkClickModel.create(fields)).toObject();
    } catch (err) {
      if (isDup(err)) return 'duplicate';
      throw err;
    }
  },
  async countClick(linkId) {
    await TrackedLinkModel.updateOne({ _id: linkId }, { $inc: { clicks: 1 } });
  },
  async clickByCode(code, linkId) {
    return LinkClickModel.findOne(linkId ? { code, linkId } : { code }).lean();
  },
  async setOptIn(clickId, optIn) {
    await LinkClickModel.updateOne({ _id: clickId }, { $set: { optIn } });
  },
};
