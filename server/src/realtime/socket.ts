// The socket.io server: handshakes from a foreign Origin are refused (origin.ts), then authenticated from the
// same session cookie as HTTP (unauthenticated → refused with `unauthorized`), each socket joined to its user,
// session and permission rooms. Must never emit business events itself: realtime/listener.ts is the one place
// that turns bus events into socket events.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import { ClientEventSchemas, type ClientToServerEvents, type ServerToClientEvents } from '../../../shared/src/index.js';
import type { EventBus } from '../events/bus.js';
import { agentTyping } from '../inbox/typing.js';
import type { Sessions } from '../auth/session.js';
import type { AuthUser, PassportInstance } from '../auth/passport.js';
import type { Logger } from '../logger.js';
import { refusedOrigin, type OriginPolicy } from './origin.js';
import { policyRooms, rooms } from './rooms.js';

export interface SocketData {
  user: AuthUser;
  sessionId: string;
}
/** Between Parley processes (only with the Redis adapter): a user's role/channels changed — re-room local sockets. */
export interface ServerSideEvents {
  'user:rerooms': (e: { userId: string; role: AuthUser['role']; channelIds: string[]; active: boolean }) => void;
}
export type ParleyIo = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Runs an express middleware only on the engine.io handshake request (not on every polling request). */
function onlyForHandshake(mw: unknown): Middleware {
  return (req, res, next) => {
    const isHandshake = (req as IncomingMessage & { _query?: { sid?: string } })._query?.sid === undefined;
    if (isHandshake) (mw as Middleware)(req, res, next);
    else next();
  };
}

export function createSocketServer(deps: {
  httpServer: HttpServer;
  sessions: Sessions;
  passport: PassportInstance;
  logger: Logger;
  bus: EventBus;
  origins: OriginPolicy;
}): ParleyIo {
  const io: ParleyIo = new Server(deps.httpServer, {
    serveClient: false,
    // Cross-site WebSocket hijacking: a page of another origin (a sibling subdomain shares the Lax cookie) must
    // not open the live inbox with the agent's session.
    allowRequest: (req, callback) => {
      const refused = refusedOrigin(req, deps.origins);
      if (refused) deps.logger.warn({ reason: refused }, 'socket handshake refused');
      callback(refused, refused === null);
    },
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  io.engine.use(onlyForHandshake(deps.sessions.middleware));
  io.engine.use(onlyForHandshake(deps.passport.initialize()));
  io.engine.use(onlyForHandshake(deps.passport.session()));

  io.use((socket, next) => {
    const req = socket.request as IncomingMessage & { user?: AuthUser; sessionID?: string };
    if (!req.user || !req.sessionID) return next(new Error('unauthorized'));
    socket.data.user = req.user;
    socket.data.sessionId = req.sessionID;
    next();
  });

  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    void socket.join([rooms.user(user.id), rooms.session(sessionId), ...policyRooms(user)]);
    deps.logger.debug({ userId: user.id, socketId: socket.id }, 'socket connected');
    let lastTyping = 0;
    socket.on('typing', (payload) => {
      const parsed = ClientEventSchemas.typing.safeParse(payload);
      const now = Date.now();
      if (!parsed.success || now - lastTyping < 1_000) return; // malformed or too frequent: ignored
      lastTyping = now;
      void agentTyping(deps.bus, socket.data.user, parsed.data.conversationId);
    });
  });
  return io;
}
