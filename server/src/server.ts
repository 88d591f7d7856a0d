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
import { createApp } from './app.js';
import { createSocketServer, type ParleyIo } from './realtime/socket.js';
import { attachRealtimeListener } from './realtime/listener.js';

export interface RunningServer {
  config: Config;
  logger: Logger;
  app: Express;
  httpServer: HttpServer;
  io: ParleyIo;
  bus: EventBus;
  db: Database;
  users: UserService;
  port: number;
  url: string;
  /** Credentials of a first admin created on this start with a generated password (print once), else undefined. */
  generatedAdmin?: { email: string; password: string };
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: { logger?: Logger; clientDir?: string } = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config);
  const db = await connectDatabase(config, logger);
  try {
    const bus = new EventBus((event, err) => logger.error({ err, event }, 'event listener failed'));
    const metrics = createMetrics();
    const sessions = createSessions(config, db.connection);
    const passport = createPassport();
    const users = new UserService(bus, db.connection);
    const first = await users.ensureFirstAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
    const app = createApp({ config, logger, connection: db.connection, sessions, passport, bus, metrics, users, clientDir: opts.clientDir });
    const httpServer = createServer(app);
    const io = createSocketServer({ httpServer, sessions, passport, logger });
    const detachListener = attachRealtimeListener(bus, io);

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

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        logger.info('shutting down');
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        detachListener();
        io.disconnectSockets(true);
        const timer = setTimeout(() => httpServer.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
        await closed;
        clearTimeout(timer);
        await new Promise<void>((resolve) => io.close(() => resolve()));
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
      port,
      url,
      generatedAdmin: first.created && first.password ? { email: first.email, password: first.password } : undefined,
      stop,
    };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
