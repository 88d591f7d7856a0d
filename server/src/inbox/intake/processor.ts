// The intake processor: works through stored webhook events. Fresh events arrive from the webhook route already
// claimed by this process (offer(): no claim round trip); events left pending, due for a retry or abandoned by a
// dead process (lease run out) are claimed from the database one at a time, atomically (safe
// with several processes) on kick, at start and on a periodic sweep. While it holds events, a heartbeat renews their
// leases. Up to `concurrency` events are applied at once; each part is routed to its channel by routing key
// (phone_number_id / page id) and normalized by the channel's adapter, and the resulting channel events run in
// arrival order per sender (see ordering.ts), concurrently across senders; template lifecycle changes (addressed
// to the business account, no channel) go to applyTemplate in order per template. Done events are marked in batches.
// Failures retry with backoff and end `failed` with lastError after maxAttempts. Must never drop the other parts of
// an event because one routing key is unknown, never apply two events of one sender out of order, and never run
// after stop().
import { randomBytes } from 'node:crypto';
import type { ChannelAdapter, ChannelEvent } from '../../channels/adapter.js';
import type { WebhookProvider } from '../../channels/capabilities.js';
import {
  displayNumbersOf,
  splitCloudByRoutingKey,
  type CloudEnvelope,
} from '../../channels/whatsapp-cloud/normalize.js';
import { cloudTemplateEvents, type TemplateLifecycleEvent } from '../../channels/whatsapp-cloud/templates.js';
import { splitMessengerByRoutingKey } from '../../channels/messenger/normalize.js';
import type { Logger } from '../../logger.js';
import type { Id } from '../../data/ids.js';
import { mongoWebhookEvents, type WebhookEventStore } from '../../data/webhook-events.js';
import { SenderOrder, orderKey } from './ordering.js';
import type { IntakeClaim, IntakeEvent } from './store.js';

export interface ProcessorDeps {
  logger: Logger;
  /** Where events are claimed, leased and marked (the MongoDB store unless given). */
  events?: WebhookEventStore;
  findChannelByRoutingKey(
    provider: WebhookProvider,
    routingKey: string,
  ): Promise<{ id: string; createdAt?: Date | null } | null>;
  adapterFor(channelId: string): Promise<ChannelAdapter>;
  apply(channel: { id: string; adapter: ChannelAdapter }, event: ChannelEvent): Promise<void>;
  /** The provider reported the number customers see for a channel (WhatsApp metadata.display_phone_number). */
  onBusinessNumber?(channelId: string, displayNumber: string): Promise<void>;
  /** Applies a business-account-level template change (status, category) — no channel is addressed. */
  applyTemplate?(event: TemplateLifecycleEvent): Promise<void>;
  sweepMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Events applied at once (default 1280: the more in flight, the larger each coalesced database batch). */
  concurrency?: number;
  /** Events held in memory at most; beyond that, fresh events are stored pending and claimed later. */
  maxHeld?: number;
  /** Wait before attempt n+1 (ms). */
  backoffMs?: (attempts: number) => number;
}

const defaultBackoff = (attempts: number) => Math.min(2_000 * 2 ** (attempts - 1), 5 * 60_000);

export class IntakeProcessor {
  /** This process's name on the leases it holds. */
  readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly queue: IntakeEvent[] = [];
  /** Ids queued or in flight here. */
  private readonly held = new Set<string>();
  private inFlight = 0;
  private claiming: Promise<void> | null = null;
  private claimAgain = false;
  /** Fresh events were stored pending because this process held too many: claim them as room frees up. */
  private backlogInDb = false;
  private prepared: Promise<void> = Promise.resolve();
  private readonly order = new SenderOrder();
  private readonly idle = new Set<() => void>();

  private readonly events: WebhookEventStore;

  constructor(private readonly deps: ProcessorDeps) {
    this.events = deps.events ?? mongoWebhookEvents;
  }

  private get maxHeld(): number {
    return this.deps.maxHeld ?? 5_000;
  }

  private get leaseMs(): number {
    return this.deps.leaseMs ?? 60_000;
  }

  /** Starts the sweeps and processes everything left pending or abandoned by a previous run. */
  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.deps.sweepMs ?? 5_000);
    this.timer.unref();
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(250, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    this.kick();
    void this.wakeWhenLeasesRunOut();
  }

  /** Stops taking work, lets in-flight events finish and hands back (pending) the ones not started. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const unstarted = this.queue.splice(0);
    for (const ev of unstarted) this.held.delete(String(ev._id));
    if (unstarted.length) await this.release(unstarted.map((e) => e._id));
    await this.whenIdle();
  }

  /** A claim for an event about to be stored, so it can be offered straight back; null when not taking more. */
  claimForIntake(): IntakeClaim | null {
    if (this.stopped) return null;
    if (this.held.size >= this.maxHeld) {
      this.backlogInDb = true;
      return null;
    }
    return { owner: this.owner, lockedUntil: new Date(Date.now() + this.leaseMs) };
  }

  /** An event stored with claimForIntake()'s claim: queue it (or hand it back if stopped meanwhile). */
  offer(ev: IntakeEvent): void {
    if (this.stopped) {
      void this.release([ev._id]);
      return;
    }
    this.enqueue(ev);
  }

  /** There may be work in the database: make sure the claimer looks (no-op after stop). */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = this.claimLoop()
      .catch((err) => this.deps.logger.error({ err }, 'intake claim failed'))
      .finally(() => {
        this.claiming = null;
        this.settleIdle();
      });
  }

  /** Resolves when nothing is queued, in flight or being claimed (tests, benchmarks). */
  whenIdle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((resolve) => this.idle.add(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0 && !this.claiming;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    for (const done of this.idle) done();
    this.idle.clear();
  }

  private enqueue(ev: IntakeEvent): void {
    const id = String(ev._id);
    if (this.held.has(id)) return;
    this.held.add(id);
    this.queue.push(ev);
    this.pump();
  }

  private pump(): void {
    const limit = this.deps.concurrency ?? 1280;
    while (!this.stopped && this.inFlight < limit && this.queue.length > 0) {
      const ev = this.queue.shift()!;
      this.inFlight++;
      void this.process(ev).finally(() => {
        this.inFlight--;
        this.held.delete(String(ev._id));
        if (this.backlogInDb && this.held.size < this.maxHeld / 2) {
          this.backlogInDb = false;
          this.kick();
        }
        this.pump();
        this.settleIdle();
      });
    }
  }

  private async claimLoop(): Promise<void> {
    do {
      this.claimAgain = false;
      for (;;) {
        if (this.stopped) break;
        if (this.held.size >= this.maxHeld) {
          this.backlogInDb = true; // more may be waiting: claim again as room frees up
          break;
        }
        const ev = await this.claim();
        if (!ev) break;
        this.enqueue(ev);
      }
    } while (this.claimAgain && !this.stopped);
  }

  /** Claims the oldest claimable event: pending (and not waiting for a retry), else abandoned by a dead process. */
  private async claim(): Promise<IntakeEvent | null> {
    const now = new Date();
    return this.events.claimNext(this.owner, now, new Date(now.getTime() + this.leaseMs));
  }

  /** Events a dead process held (say, before a crash and restart) are claimable once their lease runs out: look then. */
  private async wakeWhenLeasesRunOut(): Promise<void> {
    try {
      const lockedUntil = await this.events.nextForeignLeaseEnd(this.owner);
      if (!lockedUntil || this.stopped) return;
      const t = setTimeout(() => this.kick(), Math.max(0, lockedUntil.getTime() - Date.now()) + 50);
      t.unref();
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not look for abandoned intake events');
    }
  }

  /** Keeps the leases of the events this process holds from running out while they wait or run. */
  private async renewLeases(): Promise<void> {
    if (this.held.size === 0) return;
    await this.events
      .renewLeases(this.owner, new Date(Date.now() + this.leaseMs))
      .catch((err) => this.deps.logger.warn({ err }, 'could not renew intake leases'));
  }

  /** Hands events back as pending (stop before they started). */
  private async release(ids: Id[]): Promise<void> {
    await this.events
      .release(ids, this.owner)
      .catch((err) => this.deps.logger.error({ err }, 'could not hand back intake events'));
  }

  private async process(ev: IntakeEvent): Promise<void> {
    const log = this.deps.logger;
    try {
      // Parts are routed and queued per sender strictly in the order events were taken.
      const queued = this.prepared.then(() => this.route(ev));
      this.prepared = queued.then(
        () => undefined,
        () => undefined,
      );
      const { unknown, steps } = await queued;
      const results = await Promise.allSettled(steps);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      if (unknown.length) {
        log.warn(
          { eventId: String(ev._id), source: ev.source, unknownIds: unknown },
          `webhook for unknown channel id(s) ${unknown.join(', ')} ignored`,
        );
      }
      await this.events.markDone(ev._id);
    } catch (err) {
      const attempts = ev.attempts ?? 1;
      const message = err instanceof Error ? err.message : String(err);
      const final = attempts >= (this.deps.maxAttempts ?? 5);
      const retryAt = new Date(Date.now() + (this.deps.backoffMs ?? defaultBackoff)(attempts));
      log[final ? 'error' : 'warn'](
        { err, eventId: String(ev._id), attempts },
        final ? 'webhook event failed for good' : 'webhook event failed; will retry',
      );
      await this.events
        .recordFailure(ev._id, { final, retryAt, error: message.slice(0, 2_000) })
        .catch((e) => log.error({ err: e }, 'could not record the webhook failure'));
    }
  }

  /** Routes every part of the event and queues its channel events; returns the routing keys no channel claims. */
  private async route(ev: IntakeEvent): Promise<{ unknown: string[]; steps: Promise<void>[] }> {
    const body: unknown = ev.parsed !== undefined ? ev.parsed : JSON.parse(ev.body);
    const steps: Promise<void>[] = [];
    if (ev.source === 'whatsapp-web') {
      if (!ev.channelId) throw new Error('whatsapp-web event without a channel');
      await this.queuePart(String(ev.channelId), body, ev.receivedAt, steps);
      return { unknown: [], steps };
    }
    const provider: WebhookProvider = ev.source;
    const parts = provider === 'whatsapp' ? splitCloudByRoutingKey(body) : splitMessengerByRoutingKey(body);
    const unknown: string[] = [];
    for (const part of parts) {
      const channel = await this.deps.findChannelByRoutingKey(provider, part.routingKey);
      // A part stored before its channel existed was accepted on another channel's signature (the webhook route
      // cannot check the secret of a channel that does not exist yet): it is never applied to the new channel.
      const createdLater = Boolean(channel?.createdAt && ev.receivedAt && channel.createdAt > ev.receivedAt);
      if (!channel || createdLater) {
        unknown.push(part.routingKey);
        continue;
      }
      await this.queuePart(channel.id, part.payload, ev.receivedAt, steps);
      const keep = this.deps.onBusinessNumber;
      if (provider === 'whatsapp' && keep)
        for (const n of displayNumbersOf(part.payload as CloudEnvelope)) steps.push(keep(channel.id, n));
    }
    // Template lifecycle changes are addressed to the business account, in order per template.
    const applyTemplate = this.deps.applyTemplate;
    if (provider === 'whatsapp' && applyTemplate) {
      for (const t of cloudTemplateEvents(body))
        steps.push(this.order.run(`account/template/${t.name}/${t.language}`, () => applyTemplate(t)));
    }
    return { unknown, steps };
  }

  private async queuePart(
    channelId: string,
    payload: unknown,
    receivedAt: Date | undefined,
    steps: Promise<void>[],
  ): Promise<void> {
    const adapter = await this.deps.adapterFor(channelId);
    const channel = { id: channelId, adapter };
    // The receive time stands in for a provider timestamp that is missing, bad or in the future.
    for (const e of adapter.normalize(payload, { receivedAt: receivedAt ? new Date(receivedAt) : undefined })) {
      steps.push(this.order.run(orderKey(channelId, e), () => this.deps.apply(channel, e)));
    }
  }
}
