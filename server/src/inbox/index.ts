// Assembles the inbound side of the inbox for one server process: channel registry, intake store + processor,
// ingest, statuses, the media downloader and the sandbox phone. server.ts creates it, the webhook and sandbox routes
// use it, and the outbound sender gets applyPendingStatuses / publishConversation / adapterFor from it.
// Must never listen on a port or emit on sockets.
import type { Config } from '../config.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import type { ChannelAdapter } from '../channels/adapter.js';
import { ChannelRegistry } from '../channels/registry.js';
import { mongoChannels } from '../data/channels.js';
import { mongoInboxStores } from '../data/inbox-stores.js';
import { mongoWebhookEvents } from '../data/webhook-events.js';
import { SandboxPhone } from '../channels/sandbox/phone.js';
import { IntakeProcessor } from './intake/processor.js';
import { storeWebhookEvent, type IntakeSource } from './intake/store.js';
import { applyChannelEvent } from './ingest.js';
import { createNumberKeeper } from './channel-number.js';
import { applyTemplateLifecycle } from '../policy/template-lifecycle.js';
import { InboundHooks } from './hooks.js';
import { InboundMediaFetcher, openMediaStream, type MediaStream } from './media.js';
import { applyPendingStatuses } from './statuses.js';
import { publishConversation, recentAttributedAds } from './conversations.js';

const INTAKE_CHANNEL_CACHE_MS = 1_000;

export interface InboxOptions {
  config: Config;
  logger: Logger;
  bus: EventBus;
  /** This server's own base URL (the sandbox posts its webhooks there); known once listening. */
  selfUrl(): string;
}

export interface Inbox {
  /** Ordered steps on each new inbound message (compliance, attribution) — register at start-up. */
  hooks: InboundHooks;
  registry: ChannelRegistry;
  processor: IntakeProcessor;
  media: InboundMediaFetcher;
  sandbox: SandboxPhone;
  /** Stores a verified webhook body durably (pending) and wakes the processor. A live-client source
   * (whatsapp-web) passes its channel id: its body is normalized by that channel's adapter. */
  accept(source: IntakeSource, body: string, channelId?: string, parsed?: unknown): Promise<string>;
  adapterFor(channelId: string): Promise<ChannelAdapter>;
  applyPendingStatuses(channelId: string, providerMessageId: string): Promise<void>;
  publishConversation(conversationId: string): Promise<void>;
  openMediaStream(fileId: string): Promise<MediaStream | null>;
  /** Processes what a previous run left (crash recovery) and starts the periodic sweeps. */
  start(): void;
  /** Ends live sandbox streams (call before closing the HTTP server so it can close). */
  closeStreams(): void;
  stop(): Promise<void>;
}

export function createInbox(opts: InboxOptions): Inbox {
  const { config, logger, bus } = opts;
  const log = logger.child({ module: 'inbox' });
  const stores = mongoInboxStores;
  const events = mongoWebhookEvents;
  const registry = new ChannelRegistry(config, mongoChannels);
  const adapterFor = (channelId: string) => registry.getAdapter(channelId);
  // The intake looks channels up for every event: a second-old answer is good enough there.
  const intakeAdapterFor = (channelId: string) => registry.getAdapter(channelId, INTAKE_CHANNEL_CACHE_MS);
  const media = new InboundMediaFetcher({ bus, logger: log, adapterFor, stores });
  const hooks = new InboundHooks(log);
  const deps = {
    bus,
    logger: log,
    stores,
    hooks,
    onMediaStored: (id: string) => media.schedule(id),
  };
  const processor = new IntakeProcessor({
    logger: log,
    events,
    findChannelByRoutingKey: (provider, key) =>
      registry.findChannelByRoutingKey(provider, key, INTAKE_CHANNEL_CACHE_MS),
    adapterFor: intakeAdapterFor,
    leaseMs: config.INTAKE_LEASE_MS,
    onBusinessNumber: createNumberKeeper(),
    applyTemplate: async (event) => {
      if (!(await applyTemplateLifecycle(event)))
        log.info(
          { template: event.name, language: event.language },
          'template webhook for an unknown template ignored',
        );
    },
    apply: (channel, event) =>
      applyChannelEvent(
        deps,
        { id: channel.id, kind: channel.adapter.kind, capabilities: channel.adapter.capabilities },
        event,
      ),
  });
  const sandbox = new SandboxPhone({
    config,
    logger: log,
    channel: () => registry.sandboxChannel(),
    seenAds: () => recentAttributedAds(8, stores.conversations),
    selfUrl: opts.selfUrl,
  });
  let mediaTimer: NodeJS.Timeout | undefined;

  return {
    hooks,
    registry,
    processor,
    media,
    sandbox,
    async accept(source, body, channelId, parsed) {
      // Stored already claimed by this process when it has room, so it is processed from memory.
      const claim = processor.claimForIntake();
      const ev = await storeWebhookEvent(source, body, config.WEBHOOK_RETENTION_DAYS, channelId ?? null, claim, events);
      if (claim) processor.offer(parsed === undefined ? ev : { ...ev, parsed });
      else processor.kick();
      return String(ev._id);
    },
    adapterFor,
    applyPendingStatuses: (channelId, providerMessageId) => applyPendingStatuses(deps, channelId, providerMessageId),
    publishConversation: async (conversationId) => {
      await publishConversation(deps, conversationId);
    },
    openMediaStream: (fileId) => openMediaStream(fileId),
    start() {
      processor.start();
      const sweepMedia = () => void media.sweep().catch((err) => log.error({ err }, 'media sweep failed'));
      sweepMedia();
      mediaTimer = setInterval(sweepMedia, 60_000);
      mediaTimer.unref();
    },
    closeStreams() {
      sandbox.closeStreams();
    },
    async stop() {
      if (mediaTimer) clearInterval(mediaTimer);
      sandbox.closeStreams();
      await processor.stop();
      await media.stop();
    },
  };
}
