// The channel registry: channel records → adapters (cached per channel, rebuilt when the record's updatedAt
// changes), routing-key lookup for webhooks, and the app secrets / verify tokens the webhook routes check. The
// one place in channels/ that reads channel records (through the channel store); adapters never touch stores.
import type { ChannelKind } from '../../../shared/src/index.js';
import type { Config } from '../config.js';
import { mongoChannels, type ChannelStore, type ChannelWithSecrets } from '../data/channels.js';
import type { ChannelAdapter } from './adapter.js';
import { CAPABILITIES, kindsForProvider, type WebhookProvider } from './capabilities.js';
import { createCloudAdapter } from './whatsapp-cloud/index.js';
import { createMessengerAdapter } from './messenger/index.js';
import { createSandboxAdapter } from './sandbox/index.js';
import { createWhatsappWebAdapter } from './whatsapp-web/index.js';
import type { WwebLiveClient } from './whatsapp-web/types.js';
import type { GraphTarget } from './graph.js';

export { CAPABILITIES, kindsForProvider, type WebhookProvider };

/** Secret names as stored in channel.secrets (the same names as the channel API's write-only config fields). */
export interface ChannelSecrets {
  accessToken?: string;
  pageToken?: string;
  appSecret?: string;
  verifyToken?: string;
}

export class UnknownChannelError extends Error {
  constructor(channelId: string) {
    super(`Channel ${channelId} does not exist`);
    this.name = 'UnknownChannelError';
  }
}

export class ChannelRegistry {
  private readonly cache = new Map<string, { updatedAt: number; checkedAt: number; adapter: ChannelAdapter }>();
  private readonly routes = new Map<
    string,
    { at: number; channel: { id: string; kind: ChannelKind; createdAt: Date | null } }
  >();
  private secretsCache = new Map<WebhookProvider, { at: number; secrets: WebhookSecret[] }>();
  /** Live whatsapp-web clients of this process (set by the whatsapp-web session manager). */
  private wwebLive: (channelId: string) => WwebLiveClient | null = () => null;

  constructor(
    private readonly config: Pick<Config, 'GRAPH_API_BASE_URL' | 'GRAPH_API_VERSION'>,
    private readonly channels: ChannelStore = mongoChannels,
  ) {}

  /** whatsapp-web adapters send and fetch media through the live client the session manager owns. */
  useWhatsappWebClients(live: (channelId: string) => WwebLiveClient | null): void {
    this.wwebLive = live;
  }

  get graph(): GraphTarget {
    return { baseUrl: this.config.GRAPH_API_BASE_URL, version: this.config.GRAPH_API_VERSION };
  }

  /**
   * The adapter of a channel; throws UnknownChannelError when the channel is gone. `maxAgeMs` lets a hot caller
   * (the intake) reuse a check of the channel's record made that recently instead of reading it again.
   */
  async getAdapter(channelId: string, maxAgeMs = 0): Promise<ChannelAdapter> {
    const hit = this.cache.get(channelId);
    if (hit && maxAgeMs > 0 && Date.now() - hit.checkedAt < maxAgeMs) return hit.adapter;
    const stamp = await this.channels.stamp(channelId);
    if (stamp === null) {
      this.cache.delete(channelId);
      throw new UnknownChannelError(channelId);
    }
    if (hit && hit.updatedAt === stamp) {
      hit.checkedAt = Date.now();
      return hit.adapter;
    }
    const channel = await this.channels.getWithSecrets(channelId);
    if (!channel) throw new UnknownChannelError(channelId);
    const adapter = this.build(channel);
    this.cache.set(channelId, { updatedAt: stamp, checkedAt: Date.now(), adapter });
    return adapter;
  }

  /**
   * The channel a webhook part belongs to: phone_number_id (WhatsApp, sandbox) or page id (Messenger). A hit may be
   * reused for `maxAgeMs`; a miss is never cached (a channel created a moment ago is found at once).
   */
  async findChannelByRoutingKey(
    provider: WebhookProvider,
    routingKey: string,
    maxAgeMs = 0,
  ): Promise<{ id: string; kind: ChannelKind; createdAt: Date | null } | null> {
    const key = `${provider}:${routingKey}`;
    const hit = this.routes.get(key);
    if (hit && Date.now() - hit.at < maxAgeMs) return hit.channel;
    const c = await this.channels.byRoutingKey(kindsForProvider(provider), routingKey);
    if (!c) {
      this.routes.delete(key);
      return null;
    }
    const channel = { id: String(c._id), kind: c.kind as ChannelKind, createdAt: c.createdAt ?? null };
    this.routes.set(key, { at: Date.now(), channel });
    return channel;
  }

  /**
   * App secrets (and verify tokens) of every channel receiving webhooks on this provider's path. Cached for a
   * second; `fresh` forces a reload (used after a signature miss, so a channel created a moment ago works at once).
   */
  async webhookSecrets(provider: WebhookProvider, fresh = false): Promise<WebhookSecret[]> {
    const hit = this.secretsCache.get(provider);
    if (!fresh && hit && Date.now() - hit.at < 1000) return hit.secrets;
    const channels = await this.channels.secretsOf(kindsForProvider(provider));
    const secrets = channels.map((c) => {
      const s = (c.secrets ?? {}) as ChannelSecrets;
      return {
        channelId: String(c._id),
        routingKey: c.externalId,
        appSecret: s.appSecret ?? null,
        verifyToken: s.verifyToken ?? null,
      };
    });
    this.secretsCache.set(provider, { at: Date.now(), secrets });
    return secrets;
  }

  /** The sandbox channel the /sandbox phone talks to (the oldest one), with its app secret. */
  async sandboxChannel(): Promise<SandboxChannelInfo | null> {
    const c = await this.channels.oldestSandbox(true);
    const appSecret = ((c?.secrets ?? {}) as ChannelSecrets).appSecret;
    if (!c || !appSecret) return null;
    return { id: String(c._id), phoneNumberId: c.externalId, appSecret, displayNumber: c.displayNumber ?? null };
  }

  private build(channel: ChannelWithSecrets): ChannelAdapter {
    const secrets = (channel.secrets ?? {}) as ChannelSecrets;
    const kind = channel.kind as ChannelKind;
    switch (kind) {
      case 'whatsapp-cloud':
        return createCloudAdapter({
          graph: this.graph,
          phoneNumberId: channel.externalId,
          accessToken: secrets.accessToken ?? '',
        });
      case 'messenger':
        return createMessengerAdapter({
          graph: this.graph,
          pageId: channel.externalId,
          pageToken: secrets.pageToken ?? '',
        });
      case 'sandbox':
        return createSandboxAdapter({ channelId: String(channel._id) });
      case 'whatsapp-web': {
        const channelId = String(channel._id);
        return createWhatsappWebAdapter({ channelId, live: () => this.wwebLive(channelId) });
      }
      default:
        return unavailableAdapter(kind);
    }
  }
}

export interface SandboxChannelInfo {
  id: string;
  phoneNumberId: string;
  appSecret: string;
  displayNumber: string | null;
}

export interface WebhookSecret {
  channelId: string;
  /** The id webhooks address the channel by: phone_number_id (WhatsApp, sandbox) or page id (Messenger). */
  routingKey: string;
  appSecret: string | null;
  verifyToken: string | null;
}

function unavailableAdapter(kind: ChannelKind): ChannelAdapter {
  return {
    kind,
    capabilities: CAPABILITIES[kind],
    normalize: () => {
      throw new Error(`${kind} channels do not receive webhooks`);
    },
    send: async () => ({
      ok: false,
      transient: false,
      code: 'not_implemented',
      reason: `Sending through ${kind} channels is not available yet.`,
    }),
    fetchMedia: async () => null,
  };
}
