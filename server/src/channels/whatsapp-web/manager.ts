// The whatsapp-web session manager of one server process: one WwebSession per linked number it owns (MongoDB
// lease, renewed periodically; a channel owned elsewhere is polled and taken over when its lease expires), the
// channel's state persisted and published (`channel.state` with a reason, `channel.qr`), a `channel.disconnected`
// audit entry on every disconnect, inbound bodies handed to the durable intake with the channel id. Started on
// server start (startAll) and on demand; stopAll on shutdown keeps stored logins and states for the next start.
// Must never emit on sockets and never run a number without holding its lease.
import { randomBytes } from 'node:crypto';
import type { ChannelState } from '../../../../shared/src/index.js';
import type { EventBus } from '../../events/bus.js';
import type { Logger } from '../../logger.js';
import { mongoChannels } from '../../data/channels.js';
import { WwebLease } from './lease.js';
import { WwebSession, type WwebClient } from './session.js';
import { clientPaths, createRealClient, deleteStoredSession } from './client.js';
import type { WwebIntakeBody } from './types.js';

export type WwebClientFactory = (channelId: string) => WwebClient;

export interface WwebManagerOptions {
  dataDir: string;
  chromiumPath: string;
  logger: Logger;
  bus: EventBus;
  /** Stores an intake body durably for this channel (inbox.accept). */
  accept(channelId: string, body: string): Promise<unknown>;
  /** Told when WhatsApp ends a linked session (the server puts it on the audit trail). */
  onDisconnected?(channelId: string, reason: string): Promise<unknown> | void;
  ownerId?: string;
  leaseTtlMs?: number;
  renewMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  clientFactory?: WwebClientFactory;
}

export type StartOutcome = 'started' | 'running' | 'waiting';

export class WhatsappWebManager {
  readonly ownerId: string;
  private readonly lease: WwebLease;
  private readonly sessions = new Map<string, WwebSession>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private renewTimer: NodeJS.Timeout | undefined;
  private factory: WwebClientFactory;
  private closed = false;

  constructor(private readonly opts: WwebManagerOptions) {
    this.ownerId = opts.ownerId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.lease = new WwebLease(this.ownerId, opts.leaseTtlMs ?? 30_000);
    this.factory =
      opts.clientFactory ??
      ((channelId) => createRealClient({ channelId, dataDir: opts.dataDir, chromiumPath: opts.chromiumPath }));
  }

  private get log(): Logger {
    return this.opts.logger;
  }

  /** Replaces how clients are built (tests: a NoAuth client with browser calls stubbed). */
  setClientFactory(factory: WwebClientFactory): void {
    this.factory = factory;
  }

  /** The ready client of a channel run by this process, else null. */
  liveClient(channelId: string): WwebClient | null {
    return this.sessions.get(channelId)?.liveClient() ?? null;
  }

  /** Resolves when the number's current start attempt has settled (tests, diagnostics). */
  whenSettled(channelId: string): Promise<void> {
    return this.sessions.get(channelId)?.whenSettled() ?? Promise.resolve();
  }

  isRunning(channelId: string): boolean {
    return this.sessions.has(channelId);
  }

  isWaiting(channelId: string): boolean {
    return this.waiting.has(channelId);
  }

  /** Starts every linked number that was not stopped or logged out (server start). */
  async startAll(): Promise<void> {
    for (const id of await mongoChannels.resumableLinkedNumbers()) {
      await this.start(String(id)).catch((err) =>
        this.log.error({ err, channelId: String(id) }, 'whatsapp-web start failed'),
      );
    }
  }

  /** Starts a number here if its lease is free; otherwise waits for the owner's lease to expire. */
  async start(channelId: string): Promise<StartOutcome> {
    if (this.closed) throw new Error('whatsapp-web manager is stopped');
    const existing = this.sessions.get(channelId);
    if (existing?.isActive()) return 'running';
    if (existing) {
      await existing.start(); // logged out or refused earlier: link again
      return 'started';
    }
    if (await this.lease.acquire(channelId)) {
      this.clearWaiting(channelId);
      await this.run(channelId);
      return 'started';
    }
    this.wait(channelId);
    return 'waiting';
  }

  private wait(channelId: string): void {
    if (this.waiting.has(channelId) || this.closed) return;
    const timer = setInterval(() => {
      void (async () => {
        if (this.sessions.has(channelId) || !(await this.lease.acquire(channelId))) return;
        this.clearWaiting(channelId);
        this.log.info({ channelId, owner: this.ownerId }, 'whatsapp-web lease taken over');
        await this.run(channelId);
      })().catch((err) => this.log.error({ err, channelId }, 'whatsapp-web lease poll failed'));
    }, this.opts.renewMs ?? 10_000);
    timer.unref?.();
    this.waiting.set(channelId, timer);
  }

  private clearWaiting(channelId: string): void {
    const t = this.waiting.get(channelId);
    if (t) clearInterval(t);
    this.waiting.delete(channelId);
  }

  private async run(channelId: string): Promise<void> {
    if (this.closed || this.sessions.has(channelId)) return;
    const session = new WwebSession({
      channelId,
      logger: this.log,
      chromiumPath: this.opts.chromiumPath,
      backoff: this.opts.backoff ?? { baseMs: 2_000, maxMs: 5 * 60_000 },
      createClient: () => this.factory(channelId),
      accept: (body: WwebIntakeBody) => this.opts.accept(channelId, JSON.stringify(body)),
      setState: (state, reason) => this.setState(channelId, state, reason),
      publishQr: (qr) => this.opts.bus.publish('channel.qr', { channelId, qr }),
      onReady: async (own) => {
        if (own) await mongoChannels.set(channelId, { displayNumber: `+${own}` });
      },
      onDisconnected: async (reason) => {
        await this.opts.onDisconnected?.(channelId, reason);
      },
      forgetSession: () => deleteStoredSession(clientPaths(this.opts.dataDir, channelId).bucket),
    });
    this.sessions.set(channelId, session);
    this.ensureRenewal();
    await session.start();
  }

  private ensureRenewal(): void {
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => void this.renewAll(), this.opts.renewMs ?? 10_000);
    this.renewTimer.unref?.();
  }

  /** Renews every lease held; a lease lost (expired and taken) stops that number here at once, and a deleted
   * channel's browser is closed. */
  async renewAll(): Promise<void> {
    for (const [channelId, session] of [...this.sessions]) {
      if (!(await mongoChannels.existsById(channelId).catch(() => true))) {
        this.log.info({ channelId }, 'whatsapp-web channel deleted; closing its client');
        this.sessions.delete(channelId);
        await session.stop();
        await this.lease.release(channelId).catch(() => {});
        continue;
      }
      const ok = await this.lease.acquire(channelId).catch((err) => {
        this.log.warn({ err, channelId }, 'whatsapp-web lease renewal failed');
        return true; // database hiccup: keep running, the next renewal decides
      });
      if (ok) continue;
      this.log.warn({ channelId }, 'whatsapp-web lease lost to another process; stopping here');
      this.sessions.delete(channelId);
      await session.stop();
      this.wait(channelId);
    }
  }

  async setState(channelId: string, state: ChannelState, reason: string | null): Promise<void> {
    await mongoChannels.set(channelId, { state, stateReason: reason });
    this.opts.bus.publish('channel.state', { channelId, state, reason });
  }

  /** Stops a number (browser closed, lease released); the stored login is kept for the next start. */
  async stop(channelId: string): Promise<void> {
    this.clearWaiting(channelId);
    const session = this.sessions.get(channelId);
    this.sessions.delete(channelId);
    if (session) await session.stop();
    await this.lease.release(channelId);
    await this.setState(channelId, 'idle', 'Stopped from the console');
  }

  /** Unlinks a number: logout through the browser when connected, stored login deleted, lease released. */
  async logout(channelId: string): Promise<void> {
    this.clearWaiting(channelId);
    const session = this.sessions.get(channelId);
    this.sessions.delete(channelId);
    if (session) await session.logout();
    else await deleteStoredSession(clientPaths(this.opts.dataDir, channelId).bucket);
    await this.lease.release(channelId);
    await this.setState(channelId, 'logged_out', 'Logged out from the console');
  }

  /** Shutdown: every browser closed, leases released, states kept so the next start resumes them. */
  async stopAll(): Promise<void> {
    this.closed = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    for (const id of [...this.waiting.keys()]) this.clearWaiting(id);
    const all = [...this.sessions];
    this.sessions.clear();
    await Promise.all(
      all.map(async ([channelId, session]) => {
        await session.stop();
        await this.lease.release(channelId).catch(() => {});
      }),
    );
  }
}
