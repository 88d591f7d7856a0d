// Assembles and runs one Parley server process: config → database → services → app → http + socket.io →
// listen, and a graceful stop (stop accepting, finish in-flight, close sockets, close the database).
// Used by index.ts and by integration tests. Must never call process.exit.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { connectDatabase, type Database } from './db/connect.js';
import { EventBus } from './events/bus.js';
import { createMetrics } from './metrics.js';
import { createSessions } from './auth/session.js';
import { createPassport } from './auth/passport.js';
import { UserService } from './users/service.js';
import { mongoUserSessions } from './data/sessions.js';
import { createApp } from './app.js';
import { createSocketServer, type ParleyIo } from './realtime/socket.js';
import { attachRealtimeListener } from './realtime/listener.js';
import { attachRedisAdapter } from './realtime/redis.js';
import { bootstrapChannels } from './channels/bootstrap.js';
import { createInbox, type Inbox } from './inbox/index.js';
import { readMediaFile } from './inbox/media.js';
import { OutboxWorker, retryDelay } from './inbox/outbox.js';
import { MessageSender } from './inbox/sender.js';
import { MarketingLimitRetries } from './inbox/marketing-limit.js';
import type { OutboundRequest, Sender } from './inbox/sender.js';
import { configureGuard } from './policy/guard/index.js';
import { parseContentActions } from './policy/content-rules.js';
import { createComplianceHook, watchProviderOptOuts } from './protection/opt-out.js';
import { ConversationActions } from './inbox/conversation-actions.js';
import { LabelService } from './inbox/labels.js';
import { startSnoozeSweep } from './inbox/snooze-sweep.js';
import { createProtection } from './protection/index.js';
import { configureSuppressionKey, prepareSuppressions } from './policy/suppression.js';
import { AttributionService } from './attribution/index.js';
import { WhatsappWebManager } from './channels/whatsapp-web/manager.js';
import { createChannelLifecycle } from './inbox/channel-lifecycle.js';
import { recordAudit } from './policy/audit.js';

export interface RunningServer {
  config: Config;
  logger: Logger;
  app: Express;
  httpServer: HttpServer;
  io: ParleyIo;
  bus: EventBus;
  db: Database;
  users: UserService;
  /** Inbound pipeline (intake, ingest, media, sandbox phone) and the helpers the outbound sender needs. */
  inbox: Inbox;
  /** Campaigns/links/leads/funnel and the Conversions API outbox (attribution). */
  attribution: AttributionService;
  /** Linked WhatsApp numbers (whatsapp-web.js sessions) run by this process. */
  whatsappWeb: WhatsappWebManager;
  port: number;
  url: string;
  /** Credentials of a first admin created on this start with a generated password (print once), else undefined. */
  generatedAdmin?: { email: string; password: string };
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  opts: { logger?: Logger; clientDir?: string } = {},
): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config);
  const db = await connectDatabase(config, logger);
  let closeRedis: (() => Promise<void>) | undefined;
  try {
    const bus = new EventBus((event, err) => logger.error({ err, event }, 'event listener failed'));
    const metrics = createMetrics();
    const sessions = createSessions(config, db.connection);
    const passport = createPassport();
    const users = new UserService(bus, mongoUserSessions(db.connection));
    const first = await users.ensureFirstAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
    // Suppression hashes of erased contacts are keyed; a wrong key stops the start (erased people stay erased).
    configureSuppressionKey(config.SUPPRESSION_SECRET);
    const rekeyed = await prepareSuppressions();
    if (rekeyed) logger.info({ rekeyed }, 'suppression hashes of erased contacts re-keyed');
    // --- inbound inbox: env channels, intake + processor, media, sandbox phone ---
    await bootstrapChannels(config, logger);
    let selfUrl = '';
    const inbox = createInbox({ config, logger, bus, selfUrl: () => selfUrl });
    // ---
    // --- outbound inbox: guard → queued message → outbox worker → adapter ---
    const outbox = new OutboxWorker({
      bus,
      logger,
      adapterFor: (id) => inbox.adapterFor(id),
      readMedia: readMediaFile,
      applyPendingStatuses: (channelId, providerId) => inbox.applyPendingStatuses(channelId, providerId),
      backoffMs: retryDelay(config.OUTBOX_RETRY_BASE_MS),
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      leaseMs: config.OUTBOX_LEASE_MS,
    });
    const sender = new MessageSender({
      bus,
      adapterFor: (id) => inbox.adapterFor(id),
      publishConversation: (id) => inbox.publishConversation(id),
      kick: () => outbox.kick(),
    });
    const outbound = { sender, actions: new ConversationActions(bus) };
    // WhatsApp error 131049: marked `meta_marketing_limit`, one retry ≥ 24 h later through the sender (guard again).
    const marketingRetries = new MarketingLimitRetries({
      bus,
      logger: logger.child({ module: 'marketing-limit' }),
      send: (id, req, by, o) => sender.send(id, req, by, o),
      sweepMs: config.MARKETING_RETRY_SWEEP_MS,
    });
    // ---
    // --- linked WhatsApp numbers (whatsapp-web.js): live clients feed the same durable intake ---
    const whatsappWeb = new WhatsappWebManager({
      dataDir: config.dataDir,
      chromiumPath: config.CHROMIUM_PATH,
      logger: logger.child({ module: 'whatsapp-web' }),
      bus,
      accept: (channelId, body) => inbox.accept('whatsapp-web', body, channelId),
      onDisconnected: (channelId, reason) =>
        recordAudit({
          actor: { type: 'system' },
          action: 'channel.disconnected',
          target: { type: 'channel', id: channelId },
          details: { reason },
        }),
    });
    inbox.registry.useWhatsappWebClients((id) => whatsappWeb.liveClient(id));
    const channelLifecycle = createChannelLifecycle(whatsappWeb);
    // ---
    // --- customer protection: guard settings, the `compliance` inbound hook (before attribution), 131050 ---
    configureGuard({
      frequency: {
        max: config.FREQUENCY_CAP_MAX,
        days: config.FREQUENCY_CAP_DAYS,
        unanswered: config.FREQUENCY_CAP_UNANSWERED,
      },
      contentActions: parseContentActions(config.CONTENT_POLICY_ACTIONS),
      businessLocale: config.BUSINESS_LOCALE,
    });
    const complianceDeps = {
      bus,
      businessLocale: config.BUSINESS_LOCALE,
      logger: logger.child({ module: 'compliance' }),
      send: (id: string, req: OutboundRequest, by: Sender) => sender.send(id, req, by),
      publishConversation: (id: string) => inbox.publishConversation(id),
    };
    inbox.hooks.register('compliance', createComplianceHook(complianceDeps));
    const unwatchOptOuts = watchProviderOptOuts(complianceDeps);
    // ---
    // --- attribution: the `attribution` inbound hook (keep it after the compliance hooks), leads, CAPI outbox ---
    const attribution = new AttributionService({
      config,
      logger: logger.child({ module: 'attribution' }),
      bus,
      publishConversation: (id) => inbox.publishConversation(id),
    });
    inbox.hooks.register('attribution', attribution.hook);
    // ---
    // --- customer protection (7b): review queue, integrations, audit/contacts routes, retention sweep ---
    const protection = createProtection({ config, logger, bus, sender });
    // ---
    const app = createApp({
      attribution,
      config,
      logger,
      connection: db.connection,
      sessions,
      passport,
      bus,
      metrics,
      users,
      inbox,
      outbound,
      labels: new LabelService(bus),
      clientDir: opts.clientDir,
      channelLifecycle,
      protection,
    });
    const httpServer = createServer(app);
    const io = createSocketServer({
      httpServer,
      sessions,
      passport,
      logger,
      bus,
      origins: { publicUrl: config.PUBLIC_URL, production: config.NODE_ENV === 'production' },
    });
    // --- several processes: room emits cross processes through Redis when REDIS_URL is set ---
    closeRedis = config.REDIS_URL ? await attachRedisAdapter(io, config.REDIS_URL, logger) : undefined;
    const detachListener = attachRealtimeListener(bus, io, { clustered: Boolean(closeRedis) });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const port = (httpServer.address() as AddressInfo).port;
    const url = `http://localhost:${port}`;
    logger.info({ url }, 'Parley is listening');
    selfUrl = selfBaseUrl(httpServer.address() as AddressInfo);
    inbox.start(); // processes events stored but not processed before a stop or crash
    await outbox.start(); // fails sends a crash left uncertain (never re-sent), then sends what is queued
    marketingRetries.start(); // retries due after WhatsApp's marketing limit (131049)
    await attribution.start(); // lead answered listener + Conversions API outbox worker
    protection.start(); // retention sweep
    const stopSnoozeSweep = startSnoozeSweep({ bus, logger, everyMs: config.SNOOZE_SWEEP_MS });
    if (config.WHATSAPP_WEB_AUTOSTART) {
      void whatsappWeb.startAll().catch((err) => logger.error({ err }, 'could not start linked WhatsApp numbers'));
    }

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        logger.info('shutting down');
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        detachListener();
        unwatchOptOuts();
        protection.stop();
        stopSnoozeSweep();
        inbox.closeStreams();
        io.disconnectSockets(true);
        const timer = setTimeout(() => httpServer.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
        await closed;
        clearTimeout(timer);
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await closeRedis?.();
        await whatsappWeb.stopAll(); // browsers closed, leases released
        await inbox.stop();
        await marketingRetries.stop();
        await outbox.stop();
        await attribution.stop();
        await db.close();
        logger.info('stopped');
      })());

    return {
      config,
      logger,
      app,
      httpServer,
      io,
      bus,
      db,
      users,
      inbox,
      attribution,
      whatsappWeb,
      port,
      url,
      generatedAdmin: first.created && first.password ? { email: first.email, password: first.password } : undefined,
      stop,
    };
  } catch (err) {
    await closeRedis?.().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
}

/** How this process reaches itself (the sandbox phone posts its webhooks here). */
function selfBaseUrl(a: AddressInfo): string {
  if (a.address === '0.0.0.0' || a.address === '::') return `http://127.0.0.1:${a.port}`;
  return a.family === 'IPv6' ? `http://[${a.address}]:${a.port}` : `http://${a.address}:${a.port}`;
}
