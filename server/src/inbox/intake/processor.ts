// The intake processor: claims stored webhook events (pending, due, or processing with an expired lease — one atomic
// findOneAndUpdate, safe with several processes), routes each part to its channel by routing key (phone_number_id /
// page id), normalizes it through the channel's adapter and applies the events in order, then marks the event done.
// Failures retry with backoff and end `failed` with lastError after maxAttempts. Runs on kick (after a webhook is
// stored), at start (crash recovery) and on a periodic unref'd sweep. Must never drop the other parts of an event
// because one routing key is unknown, and never run after stop().
import type { ChannelAdapter, ChannelEvent } from '../../channels/adapter.js';
import type { WebhookProvider } from '../../channels/capabilities.js';
import { splitCloudByRoutingKey } from '../../channels/whatsapp-cloud/normalize.js';
import { splitMessengerByRoutingKey } from '../../channels/messenger/normalize.js';
import type { Logger } from '../../logger.js';
import { WebhookEventModel, type WebhookEventDoc } from '../../models/webhook-event.js';

export interface ProcessorDeps {
  logger: Logger;
  findChannelByRoutingKey(provider: WebhookProvider, routingKey: string): Promise<{ id: string } | null>;
  adapterFor(channelId: string): Promise<ChannelAdapter>;
  apply(channel: { id: string; adapter: ChannelAdapter }, event: ChannelEvent): Promise<void>;
  sweepMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** Wait before attempt n+1 (ms). */
  backoffMs?: (attempts: number) => number;
}

const defaultBackoff = (attempts: number) => Math.min(2_000 * 2 ** (attempts - 1), 5 * 60_000);

export class IntakeProcessor {
  private timer: NodeJS.Timeout | undefined;
  private active = 0;
  private dirty = false;
  private stopped = true;
  private readonly idle = new Set<() => void>();

  constructor(private readonly deps: ProcessorDeps) {}

  /** Starts the sweep and processes everything left pending or abandoned by a previous run. */
  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.deps.sweepMs ?? 5_000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.active > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  /** There may be work: make sure a worker looks (no-op after stop). */
  kick(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.active < (this.deps.concurrency ?? 4)) this.spawn();
  }

  /** Resolves when no worker is running (tests, benchmarks). */
  whenIdle(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.add(resolve));
  }

  private spawn(): void {
    this.active++;
    void this.loop()
      .catch((err) => this.deps.logger.error({ err }, 'intake worker crashed'))
      .finally(() => {
        this.active--;
        if (this.active === 0) {
          for (const done of this.idle) done();
          this.idle.clear();
        }
      });
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      this.dirty = false;
      const ev = await this.claim();
      if (!ev) {
        if (this.dirty && !this.stopped) continue;
        return;
      }
      // More may be waiting: let another worker help.
      if (this.active < (this.deps.concurrency ?? 4)) this.spawn();
      await this.process(ev);
    }
  }

  /**
   * Claims the oldest claimable event: pending (and not waiting for a retry), else processing with an expired lease
   * (its worker died). Two equality-on-state queries, so the {state, receivedAt} index serves them and done events
   * (kept for the retention period) are never scanned.
   */
  private async claim(): Promise<WebhookEventDoc | null> {
    const now = new Date();
    const update = {
      $set: { state: 'processing', lockedUntil: new Date(now.getTime() + (this.deps.leaseMs ?? 60_000)) },
      $inc: { attempts: 1 },
    };
    const opts = { sort: { receivedAt: 1 }, returnDocument: 'after' } as const;
    return (
      (await WebhookEventModel.findOneAndUpdate(
        { state: 'pending', $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] },
        update,
        opts,
      )) ?? (await WebhookEventModel.findOneAndUpdate({ state: 'processing', lockedUntil: { $lt: now } }, update, opts))
    );
  }

  private async process(ev: WebhookEventDoc): Promise<void> {
    const log = this.deps.logger;
    try {
      const unknown = await this.applyEvent(ev);
      if (unknown.length) {
        log.warn(
          { eventId: String(ev._id), source: ev.source, unknownIds: unknown },
          `webhook for unknown channel id(s) ${unknown.join(', ')} ignored`,
        );
      }
      await WebhookEventModel.updateOne(
        { _id: ev._id },
        { $set: { state: 'done', processedAt: new Date(), lockedUntil: null, lastError: null } },
      );
    } catch (err) {
      const attempts = ev.attempts ?? 1;
      const message = err instanceof Error ? err.message : String(err);
      const final = attempts >= (this.deps.maxAttempts ?? 5);
      const retryAt = new Date(Date.now() + (this.deps.backoffMs ?? defaultBackoff)(attempts));
      log[final ? 'error' : 'warn'](
        { err, eventId: String(ev._id), attempts },
        final ? 'webhook event failed for good' : 'webhook event failed; will retry',
      );
      await WebhookEventModel.updateOne(
        { _id: ev._id },
        {
          $set: {
            state: final ? 'failed' : 'pending',
            lockedUntil: final ? null : retryAt,
            lastError: message.slice(0, 2_000),
          },
        },
      ).catch((e) => log.error({ err: e }, 'could not record the webhook failure'));
    }
  }

  /** Applies every part of the event; returns the routing keys no channel claims. */
  private async applyEvent(ev: WebhookEventDoc): Promise<string[]> {
    const body: unknown = JSON.parse(ev.body);
    if (ev.source === 'whatsapp-web') {
      if (!ev.channelId) throw new Error('whatsapp-web event without a channel');
      await this.applyPart(String(ev.channelId), body);
      return [];
    }
    const provider: WebhookProvider = ev.source;
    const parts = provider === 'whatsapp' ? splitCloudByRoutingKey(body) : splitMessengerByRoutingKey(body);
    const unknown: string[] = [];
    for (const part of parts) {
      const channel = await this.deps.findChannelByRoutingKey(provider, part.routingKey);
      if (!channel) {
        unknown.push(part.routingKey);
        continue;
      }
      await this.applyPart(channel.id, part.payload);
    }
    return unknown;
  }

  private async applyPart(channelId: string, payload: unknown): Promise<void> {
    const adapter = await this.deps.adapterFor(channelId);
    const events = adapter.normalize(payload);
    for (const e of events) await this.deps.apply({ id: channelId, adapter }, e);
  }
}
