// The channel store: the inbox's channels (WhatsApp Cloud numbers, Messenger pages, sandbox, linked WhatsApp
// numbers). Secrets are read only by the calls that name them (the registry's adapters and webhook checks, the
// environment bootstrap). Records leave as plain lean objects. Must never return secrets from any other call and
// never talk to providers.
import type { ChannelKind } from '../../../shared/src/index.js';
import type { Id } from './ids.js';
import { ChannelModel, type ChannelRecord } from '../models/channel.js';

export type { ChannelRecord };
export type ChannelLean = Omit<ChannelRecord, 'secrets'> & { _id: Id };
export type ChannelWithSecrets = ChannelLean & { secrets?: unknown };
export type NewChannel = Pick<ChannelRecord, 'kind' | 'name' | 'externalId' | 'config' | 'state' | 'source'> & {
  secrets: Record<string, string>;
  displayNumber?: string | null;
};

export interface ChannelStore {
  /** Channels (all, or these ids), oldest first. */
  list(ids: Id[] | null): Promise<ChannelLean[]>;
  /** A channel by id, or null. */
  get(id: Id | string): Promise<ChannelLean | null>;
  /** The kind of a channel, or null when it does not exist. */
  kindOf(id: string): Promise<ChannelKind | null>;
  /** A channel by id with its secrets, or null. */
  getWithSecrets(id: string): Promise<ChannelWithSecrets | null>;
  /** When a channel's record last changed (0 when never), or null when it does not exist. */
  stamp(id: string): Promise<number | null>;
  /** Whether a channel with this id exists. */
  existsById(id: string): Promise<boolean>;
  /** Whether a channel of this kind has this provider id. */
  exists(kind: ChannelKind, externalId: string): Promise<boolean>;
  /** The channel of a kind and provider id, with secrets, or null. */
  findWithSecrets(kind: ChannelKind, externalId: string): Promise<ChannelWithSecrets | null>;
  /** The channel of one of these kinds addressed by this routing key (kind, createdAt), or null. */
  byRoutingKey(kinds: readonly ChannelKind[], routingKey: string): Promise<Pick<ChannelLean, '_id' | 'kind' | 'createdAt'> | null>;
  /** Every channel of these kinds with its secrets (routing key and secrets only). */
  secretsOf(kinds: readonly ChannelKind[]): Promise<Array<Pick<ChannelLean, '_id' | 'kind' | 'externalId'> & { secrets?: unknown }>>;
  /** The oldest sandbox channel (with its secrets when asked), or null. */
  oldestSandbox(withSecrets: boolean): Promise<ChannelWithSecrets | null>;
  /** Linked WhatsApp numbers not stopped or logged out. */
  resumableLinkedNumbers(): Promise<Id[]>;
  /** Creates a channel; rejects with a duplicate-key error when (kind, externalId) is taken. */
  create(c: NewChannel): Promise<ChannelLean>;
  /** Replaces a channel's secrets and merges config fields. */
  updateSecrets(kind: ChannelKind, externalId: string, secrets: Record<string, string>, config: object): Promise<void>;
  /** $set fields on a channel (state, reason, display number). */
  set(id: string, fields: Partial<Pick<ChannelRecord, 'state' | 'stateReason' | 'displayNumber'>>): Promise<void>;
  remove(id: Id): Promise<void>;
}

const lean = <T>(v: unknown) => v as T;

export const mongoChannels: ChannelStore = {
  list: async (ids) =>
    lean(
      await ChannelModel.find(ids ? { _id: { $in: ids } } : {})
        .sort({ createdAt: 1 })
        .lean(),
    ),
  get: async (id) => lean(await ChannelModel.findById(id).lean()),
  kindOf: async (id) => ((await ChannelModel.findById(id).select('kind').lean())?.kind as ChannelKind) ?? null,
  getWithSecrets: async (id) => lean(await ChannelModel.findById(id).select('+secrets').lean()),
  stamp: async (id) => {
    const head = await ChannelModel.findById(id).select('updatedAt').lean();
    if (!head) return null;
    return head.updatedAt ? new Date(head.updatedAt).getTime() : 0;
  },
  existsById: async (id) => (await ChannelModel.exists({ _id: id })) !== null,
  exists: async (kind, externalId) => (await ChannelModel.exists({ kind, externalId })) !== null,
  findWithSecrets: async (kind, externalId) =>
    lean(await ChannelModel.findOne({ kind, externalId }).select('+secrets').lean()),
  byRoutingKey: async (kinds, routingKey) =>
    lean(await ChannelModel.findOne({ kind: { $in: [...kinds] }, externalId: routingKey }).select('kind createdAt').lean()),
  secretsOf: async (kinds) =>
    lean(
      await ChannelModel.find({ kind: { $in: [...kinds] } })
        .select('+secrets kind externalId')
        .lean(),
    ),
  oldestSandbox: async (withSecrets) => {
    const q = ChannelModel.findOne({ kind: 'sandbox' }).sort({ createdAt: 1 });
    return lean(await (withSecrets ? q.select('+secrets') : q).lean());
  },
  resumableLinkedNumbers: async () =>
    (
      await ChannelModel.find({ kind: 'whatsapp-web', state: { $nin: ['idle', 'logged_out'] } })
        .select('_id')
        .lean()
    ).map((r) => r._id),
  create: async (c) => {
    const { secrets: _secrets, ...rest } = (await ChannelModel.create(c)).toObject() as ChannelRecord & { _id: Id };
    return rest;
  },
  updateSecrets: async (kind, externalId, secrets, config) => {
    await ChannelModel.updateOne(
      { kind, externalId },
      {
        $set: { secrets, ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`config.${k}`, v])) },
      },
    );
  },
  set: async (id, fields) => {
    await ChannelModel.updateOne({ _id: id }, { $set: fields });
  },
  remove: async (id) => {
    await ChannelModel.deleteOne({ _id: id });
  },
};
