// One linked number's live whatsapp-web.js client: starts it (destroy() on every failed start), turns its events
// into intake bodies (received messages and acks, groups/status ignored, the sender's other id resolved when
// possible) and state changes (qr, authenticating, ready, disconnected, logged_out, failed + reason), catches up
// unread chats on ready, and reconnects with exponential backoff after a disconnect — never after LOGOUT.
// Must never write models or publish on the bus itself (its owner does), and never leave a browser behind.
import type { ChannelState } from '../../../../shared/src/index.js';
import type { Logger } from '../../logger.js';
import { isIgnoredChat } from './normalize.js';
import { resolveOtherId, snapshotOf, type LibMessage, type LidLookup } from './snapshot.js';
import type { WwebIntakeBody, WwebLiveClient } from './types.js';

export interface WwebChat {
  id: { _serialized: string };
  isGroup?: boolean;
  unreadCount?: number;
  fetchMessages(opts: { limit: number }): Promise<LibMessage[]>;
}

/** What a session uses of a whatsapp-web.js Client (a real Client satisfies it; tests stub browser calls only). */
export interface WwebClient extends WwebLiveClient {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  logout(): Promise<void>;
  getContactLidAndPhone?: LidLookup;
  getChats?(): Promise<WwebChat[]>;
  info?: { wid?: { user?: string } } | null;
}

export interface SessionDeps {
  channelId: string;
  logger: Logger;
  createClient(): WwebClient;
  accept(body: WwebIntakeBody): Promise<unknown>;
  setState(state: ChannelState, reason: string | null): Promise<void>;
  publishQr(qr: string): void;
  /** Alert admins: the number disconnected (audit entry). */
  onDisconnected(reason: string): Promise<void>;
  /** The number is linked: its own WhatsApp number (digits) when the client tells it. */
  onReady?(ownNumber: string | null): Promise<void>;
  /** Forget the stored login (after a logout that could not go through the browser). */
  forgetSession(): Promise<void>;
  chromiumPath: string;
  backoff: { baseMs: number; maxMs: number };
}

const OFFLINE =
  /ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_ADDRESS_UNREACHABLE|ERR_CONNECTION_(REFUSED|RESET|TIMED_OUT|CLOSED)|ERR_NETWORK_CHANGED|ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED|ENOTFOUND|EAI_AGAIN/;

/** A start failure in words an admin can act on. */
export function describeStartError(err: unknown, chromiumPath: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  const line = msg.split('\n')[0].slice(0, 200);
  if (OFFLINE.test(msg)) return 'Cannot reach WhatsApp (no internet)';
  if (/Failed to launch|ENOENT|Browser was not found|spawn/i.test(msg))
    return `Cannot start Chromium (${chromiumPath}): ${line}`;
  return `Could not start WhatsApp: ${line}`;
}

export class WwebSession {
  private client: WwebClient | null = null;
  private ready = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: SessionDeps) {}

  /** The client when ready, else null. */
  liveClient(): WwebClient | null {
    return this.ready ? this.client : null;
  }

  /** A client is running or a reconnect is scheduled (false after LOGOUT, auth failure or stop). */
  isActive(): boolean {
    return this.client !== null || this.retryTimer !== undefined;
  }

  /** Milliseconds before reconnect attempt n (0-based): base · 2ⁿ, capped. */
  delayFor(attempt: number): number {
    return Math.min(this.deps.backoff.baseMs * 2 ** attempt, this.deps.backoff.maxMs);
  }

  private launching: Promise<void> = Promise.resolve();

  /** Marks the number starting and launches the client in the background (see whenSettled). */
  start(): Promise<void> {
    this.stopped = false;
    const announced = this.deps.setState('authenticating', 'Starting WhatsApp…');
    // Set synchronously, so whenSettled() covers this start even before the state write has finished.
    this.launching = announced
      .then(() => this.launch(false))
      .catch((err) => this.deps.logger.error({ err }, 'whatsapp-web start crashed'));
    return announced;
  }

  /** Resolves when the current initialize() has resolved or failed (and been cleaned up). */
  whenSettled(): Promise<void> {
    return this.launching;
  }

  private async launch(announce = true): Promise<void> {
    this.retryTimer = undefined;
    if (this.stopped) return;
    if (announce) await this.deps.setState('authenticating', 'Reconnecting…');
    if (this.stopped) return;
    const client = this.deps.createClient();
    this.client = client;
    this.ready = false;
    this.wire(client);
    try {
      await client.initialize();
      if (this.client !== client) await this.teardown(client); // stopped while starting: no browser left behind
    } catch (err) {
      if (this.client !== client) {
        await this.teardown(client); // stopped meanwhile
        return;
      }
      const reason = describeStartError(err, this.deps.chromiumPath);
      this.deps.logger.warn({ err, channelId: this.deps.channelId }, `whatsapp-web start failed: ${reason}`);
      this.client = null;
      await this.teardown(client);
      await this.deps.setState('failed', reason);
      this.scheduleReconnect();
    }
  }

  private wire(client: WwebClient): void {
    const log = this.deps.logger;
    const guard = (what: string, fn: () => Promise<unknown>) => {
      if (this.client !== client) return;
      void fn().catch((err) => log.error({ err, channelId: this.deps.channelId }, `whatsapp-web ${what} failed`));
    };
    client.on('qr', (qr: string) =>
      guard('qr', async () => {
        this.deps.publishQr(qr);
        await this.deps.setState('qr', null);
      }),
    );
    client.on('authenticated', () => guard('authenticated', () => this.deps.setState('authenticating', null)));
    client.on('auth_failure', (msg: string) =>
      guard('auth_failure', async () => {
        this.client = null;
        await this.teardown(client);
        await this.deps.setState('failed', `WhatsApp refused the login: ${String(msg).slice(0, 200)}`);
      }),
    );
    client.on('ready', () =>
      guard('ready', async () => {
        this.ready = true;
        this.attempt = 0;
        await this.deps.setState('ready', null);
        const own = client.info?.wid?.user;
        await this.deps.onReady?.(typeof own === 'string' && /^\d{5,20}$/.test(own) ? own : null);
        await this.catchUp(client);
      }),
    );
    const onMessage = (msg: LibMessage) => guard('message', () => this.intake(client, msg));
    client.on('message_create', onMessage);
    client.on('message', onMessage);
    client.on('message_revoke_everyone', (after: LibMessage) => guard('revoke', () => this.intake(client, after)));
    client.on('message_ack', (msg: LibMessage, ack: number) =>
      guard('ack', async () => {
        if (!msg?.fromMe) return;
        await this.deps.accept({ v: 1, type: 'ack', id: msg.id._serialized, ack: Number(ack), at: Date.now() });
      }),
    );
    client.on('disconnected', (reason: unknown) =>
      guard('disconnected', () => this.onDisconnected(client, String(reason))),
    );
  }

  /** A received message → intake (own messages, groups and status updates never go in). */
  async intake(client: WwebClient, msg: LibMessage): Promise<void> {
    if (!msg || msg.fromMe || msg.isStatus || msg.broadcast || isIgnoredChat(String(msg.from))) return;
    const lookup = client.getContactLidAndPhone ? (ids: string[]) => client.getContactLidAndPhone!(ids) : undefined;
    const message = await resolveOtherId(snapshotOf(msg), lookup);
    await this.deps.accept({ v: 1, type: 'message', message });
  }

  /** Messages that arrived while down: unread messages of each one-to-one chat (the intake stores each once). */
  private async catchUp(client: WwebClient): Promise<void> {
    if (!client.getChats) return;
    const chats = await client.getChats();
    for (const chat of chats) {
      if (this.client !== client) return;
      const unread = chat.unreadCount ?? 0;
      if (chat.isGroup || unread <= 0 || isIgnoredChat(chat.id._serialized)) continue;
      const messages = await chat.fetchMessages({ limit: Math.min(unread, 100) });
      for (const m of messages) await this.intake(client, m);
    }
  }

  private async onDisconnected(client: WwebClient, reason: string): Promise<void> {
    this.client = null;
    this.ready = false;
    await this.teardown(client);
    if (reason === 'LOGOUT') {
      await this.deps
        .forgetSession()
        .catch((err) => this.deps.logger.warn({ err }, 'could not forget the whatsapp-web login'));
      await this.deps.setState('logged_out', 'The number was unlinked from the phone');
      await this.deps.onDisconnected(reason);
      return;
    }
    await this.deps.setState('disconnected', reason || 'Disconnected');
    await this.deps.onDisconnected(reason);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = this.delayFor(this.attempt++);
    this.deps.logger.info({ channelId: this.deps.channelId, delay }, 'whatsapp-web reconnect scheduled');
    this.retryTimer = setTimeout(() => {
      this.launching = this.launch().catch((err) => this.deps.logger.error({ err }, 'whatsapp-web reconnect failed'));
    }, delay);
    this.retryTimer.unref?.();
  }

  private async teardown(client: WwebClient): Promise<void> {
    client.removeAllListeners();
    client.on('error', () => {}); // late library errors must not crash the process
    await client.destroy().catch((err) => this.deps.logger.warn({ err }, 'whatsapp-web destroy failed'));
  }

  /** Stops the client (browser closed) and any pending reconnect; the stored login is kept. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = null;
    this.ready = false;
    if (client) await this.teardown(client);
  }

  /** Unlinks the number (through the browser when ready) and forgets the stored login. */
  async logout(): Promise<void> {
    const client = this.ready ? this.client : null;
    if (client) {
      this.client = null;
      await client.logout().catch((err) => this.deps.logger.warn({ err }, 'whatsapp-web logout failed'));
      await this.teardown(client);
    }
    await this.stop();
    await this.deps.forgetSession();
  }
}
