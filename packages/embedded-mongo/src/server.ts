// Socket front end of the embedded engine: accepts connections on a Unix domain socket (see socket.ts for its
// place and permissions), frames wire messages, executes each connection's commands strictly in order through
// the Engine and writes the replies (none for moreToCome). Must never listen on TCP (the engine has no
// authentication), execute commands itself, nor keep sockets alive after close().
import net from 'node:net';
import type { Document } from 'bson';
import type { Engine } from './engine.js';
import { CommandError, Codes } from './errors.js';
import {
  decodeMessage,
  encodeReply,
  MAX_COMMAND_BODY_BYTES,
  MessageReader,
  WireError,
  type IncomingCommand,
} from './wire.js';

export class WireServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;

  constructor(
    private readonly engine: Engine,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listens on the Unix domain socket at `socketPath` (an absolute path; nothing may exist there). */
  listen(socketPath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new Error(`another server is already listening on ${socketPath}; stop it or choose another socket path`)
            : e,
        );
      this.server.once('error', onError);
      this.server.listen(socketPath, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const id = this.nextConnectionId++;
    const conn = { id, remote: `unix:${id}` }; // a Unix socket peer has no address of its own
    const reader = new MessageReader();
    let chain: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = reader.push(chunk);
      } catch (e) {
        this.log('embedded db: dropping connection after a framing error', e);
        socket.destroy();
        return;
      }
      for (const m of messages) chain = chain.then(() => this.process(socket, m, conn));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async process(socket: net.Socket, raw: Buffer, conn: { id: number; remote: string }): Promise<void> {
    if (socket.destroyed) return;
    let req: IncomingCommand;
    try {
      req = decodeMessage(raw);
    } catch (e) {
      this.log('embedded db: undecodable message, closing connection', e);
      socket.destroy();
      return;
    }
    let reply: Document;
    try {
      reply =
        req.oversizeBody !== undefined
          ? new CommandError(
              Codes.BSONObjectTooLarge,
              `command document too large: ${req.oversizeBody} bytes (the limit is ${MAX_COMMAND_BODY_BYTES})`,
            ).toReply()
          : await this.engine.execute(req.command, req.db, conn);
    } catch (e) {
      reply = new CommandError(Codes.InternalError, e instanceof Error ? e.message : String(e)).toReply();
    }
    if (req.noReply || socket.destroyed) return;
    let out: Buffer;
    try {
      out = encodeReply(req, reply);
    } catch (e) {
      const err =
        e instanceof WireError
          ? e
          : new CommandError(
              Codes.InternalError,
              `could not encode reply: ${e instanceof Error ? e.message : String(e)}`,
            );
      out = encodeReply(req, { ok: 0, errmsg: err.message, code: Codes.InternalError, codeName: 'InternalError' });
    }
    socket.write(out);
  }
}
