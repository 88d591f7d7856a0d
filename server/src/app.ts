// The express app factory: security headers, request ids + logs, metrics, body limits, sessions + passport,
// CSRF, the API routers, the built console, JSON 404/500. Tests import it without listening. Must never hold
// business logic: routers call services.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Sessions } from './auth/session.js';
import type { PassportInstance } from './auth/passport.js';
import { csrfProtection } from './auth/csrf.js';
import { loginThrottles } from './auth/throttle.js';
import { deviceCookies } from './auth/device.js';
import type { EventBus } from './events/bus.js';
import type { Metrics } from './metrics.js';
import type { UserService } from './users/service.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { safeErr, safeReq } from './log-safety.js';
import { authRoutes } from './http/auth.routes.js';
import { userRoutes } from './http/users.routes.js';
import { meRoutes } from './http/me.routes.js';
import { opsRoutes } from './http/ops.routes.js';
import type { Inbox } from './inbox/index.js';
import { webhookRoutes } from './http/webhooks.routes.js';
import { sandboxRoutes } from './http/sandbox.routes.js';
import { conversationRoutes } from './http/conversations.routes.js';
import { channelRoutes } from './http/channels.routes.js';
import { cannedReplyRoutes } from './http/canned-replies.routes.js';
import { labelRoutes } from './http/labels.routes.js';
import type { LabelService } from './inbox/labels.js';
import { contactConsentRoutes } from './http/contacts-consent.routes.js';
import { templateRoutes } from './http/templates.routes.js';
import { mediaRoutes } from './http/media.routes.js';
import type { MessageSender } from './inbox/sender.js';
import type { ConversationActions } from './inbox/conversation-actions.js';
import type { Protection } from './protection/index.js';
import { auditRoutes } from './http/audit.routes.js';
import { contactRoutes } from './http/contacts.routes.js';
import { integrationApiRoutes, integrationRoutes } from './http/integrations.routes.js';
import { reviewRoutes } from './http/review.routes.js';
import type { AttributionService } from './attribution/index.js';
import { campaignRoutes } from './http/campaigns.routes.js';
import { linkRoutes, publicLinkRoutes } from './http/links.routes.js';
import { analyticsRoutes, capiRoutes } from './http/analytics.routes.js';
import { leadRoutes } from './http/leads.routes.js';
import type { ChannelLifecycle } from './inbox/channel-lifecycle.js';

export interface AppDeps {
  /** Campaigns, tracked links, leads, funnel, Conversions API outbox. */
  attribution: AttributionService;
  config: Config;
  logger: Logger;
  connection: Connection;
  sessions: Sessions;
  passport: PassportInstance;
  bus: EventBus;
  metrics: Metrics;
  users: UserService;
  /** Inbound pipeline: webhook intake and the sandbox phone (mounted before the JSON parser). */
  inbox: Inbox;
  /** Outbound and agent-side inbox services (conversations API). */
  outbound: { sender: MessageSender; actions: ConversationActions };
  labels: LabelService;
  /** Folder with the built console (index.html + assets). Default: dist/client next to the repo root. */
  clientDir?: string;
  /** Customer protection: review queue and integrations (approved senders). */
  protection: Protection;
  /** start/stop/logout of linked WhatsApp numbers (whatsapp-web). */
  channelLifecycle: ChannelLifecycle;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The integrations' bearer-token API under /api (never authenticated by the session cookie). */
const isTokenApi = (path: string) => path === '/v1' || path.startsWith('/v1/');

/** The built console: <repo>/dist/client, whether running from source (server/src) or from dist/server/src. */
export function defaultClientDir(): string {
  const up2 = resolve(import.meta.dirname, '..', '..');
  const repoRoot = basename(up2) === 'dist' ? dirname(up2) : up2;
  return join(repoRoot, 'dist', 'client');
}

export function createApp(deps: AppDeps): Express {
  const { config, logger, passport } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // Query strings carry verify tokens, search terms and phone numbers: only their keys are logged.
      serializers: { req: safeReq, err: safeErr },
    }),
  );
  app.use(deps.metrics.httpMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // 'self' covers ws:/wss: to this host (CSP3); no other host may be reached from the console.
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          mediaSrc: ["'self'", 'blob:', 'https:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          upgradeInsecureRequests: config.NODE_ENV === 'production' ? [] : null,
        },
      },
      strictTransportSecurity: config.NODE_ENV === 'production',
    }),
  );

  // Webhook routes (raw body + provider signature, no session) mount here, before the JSON parser.
  {
    const inbox = deps.inbox;
    app.use(
      webhookRoutes({
        webhookSecrets: (p, fresh) => inbox.registry.webhookSecrets(p, fresh),
        accept: (s, b, parsed) => inbox.accept(s, b, undefined, parsed),
      }),
    );
    app.use(
      sandboxRoutes({
        enabled: config.sandboxEnabled,
        phone: inbox.sandbox,
        clientDir: deps.clientDir ?? defaultClientDir(),
        // The sandbox needs a console session; it keeps its own (smaller) JSON parser, so it mounts here.
        session: [deps.sessions.middleware, passport.initialize(), passport.session()],
      }),
    );
  }

  // Public tracked click-to-chat links (/c/:slug, no session).
  const linkDeps = {
    publicUrl: config.PUBLIC_URL,
    businessName: config.BUSINESS_NAME,
    businessLocale: config.BUSINESS_LOCALE,
  };
  app.use(publicLinkRoutes(linkDeps));

  app.use(express.json({ limit: config.JSON_BODY_LIMIT, strict: true }));

  // API answers carry message bodies and personal data: never kept by the browser or a shared cache (a route
  // may set its own Cache-Control for data that is not personal).
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const withSession = [deps.sessions.middleware, passport.initialize(), passport.session()];
  const sessionChain = express.Router().use(...withSession);
  // /api/v1 is authenticated by bearer token only: the session cookie is not even read there.
  app.use('/api', (req, res, next) => (isTokenApi(req.path) ? next() : sessionChain(req, res, next)));
  app.use('/metrics', ...withSession);
  app.use(
    opsRoutes({
      connection: deps.connection,
      metrics: deps.metrics,
      metricsToken: config.METRICS_TOKEN,
      embedded: !config.MONGODB_URI,
    }),
  );

  app.use(
    '/api',
    // Login creates the session; /api/v1 authenticates only by bearer token (never by cookie).
    // Exempt: login (it creates the session) and /api/v1 (no session there; every route requires a valid token).
    // An Authorization header elsewhere exempts nothing: a cookie-authenticated request always needs the token.
    csrfProtection((req) => (req.method === 'POST' && req.path === '/auth/login') || isTokenApi(req.path)),
  );
  const devices = deviceCookies({ secret: config.SESSION_SECRET, secure: config.NODE_ENV === 'production' });
  app.use('/api/auth', authRoutes({ passport, throttles: loginThrottles(config, devices), devices, bus: deps.bus }));
  app.use('/api/users/me', meRoutes());
  app.use('/api/users', userRoutes(deps.users));
  app.use('/api/conversations', leadRoutes(deps.attribution));
  app.use('/api/conversations', conversationRoutes(deps.outbound));
  app.use('/api/media', mediaRoutes());
  app.use('/api/channels', channelRoutes(deps.channelLifecycle));
  app.use('/api/canned-replies', cannedReplyRoutes());
  app.use('/api/labels', labelRoutes(deps.labels));
  app.use('/api/contacts', contactConsentRoutes({ bus: deps.bus }));
  app.use('/api/contacts', contactRoutes({ bus: deps.bus }));
  app.use('/api/templates', templateRoutes());
  app.use('/api/capi', capiRoutes(deps.attribution.capi));
  app.use('/api/campaigns', campaignRoutes());
  app.use('/api/links', linkRoutes(linkDeps));
  app.use('/api/analytics', analyticsRoutes());
  app.use('/api/audit', auditRoutes());
  app.use('/api/review', reviewRoutes(deps.protection.review));
  app.use('/api/integrations', integrationRoutes(deps.protection.integrations));
  app.use('/api/v1', integrationApiRoutes(deps.protection.integrations));
  app.use('/api', notFoundHandler);

  const clientDir = deps.clientDir ?? defaultClientDir();
  if (existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h', immutable: false }));
    // Single-page app: every other GET that accepts HTML gets the console's index.html.
    app.get(/^\/(?!api\/|socket\.io\/|webhooks\/).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(clientDir, 'index.html'));
    });
  } else {
    logger.warn({ clientDir }, 'console not built: run `npm run build:client` (npm start does it)');
  }

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
