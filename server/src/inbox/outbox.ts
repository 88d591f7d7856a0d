// The outbox worker: claims queued outbound messages (a lease per message, safe with several processes), calls
// the channel adapter once per attempt, stores the provider id, retries only failures the provider certainly did
// not act on (5xx, throttling, connection refused) with backoff, and never re-sends a message whose attempt may
// have reached the provider (a crash or timeout mid-send marks it failed "uncertain" instead). Must never bypass
// inbox/sender (it only sends what the sender queued after the guard).
import type { Types } from 'mongoose';
import type { MessageStatus } from '../../../shared/src/index.js';
import type { ChannelAdapter, OutboundMedia, OutboundPayload, SendResult } from '../channels/adapter.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { ConversationModel } from '../models/conversation.js';
import { MessageModel, type MessageDoc } from '../models/message.js';
import { UserModel } from '../models/user.js';
import { isStatusProgress } from './outbound-status.js';
import { publishMessageUpdated } from '../events/publish.js';

export interface OutboxDeps {
  bus: EventBus;
  logger: Logger;
  adapterFor(channelId: string): Promise<ChannelAdapter>;
  /** Reads a stored media file (GridFS). */
  readMedia(fileId: Types.ObjectId): Promise<Buffer>;
  /** Applies statuses that arrived before the provider id was known. */
  applyPendingStatuses(channelId: string, providerMessageId: string): Promise<void>;
  /** Backoff before attempt n+1 (ms). */
  backoffMs?: (attempt: number) => number;
  maxAttempts?: number;
  leaseMs?: number;
  pollMs?: number;
  concurrency?: number;
}

/** Retry n (1-based) waits base × 5^(n-1), capped at 5 minutes. */
export const retryDelay = (baseMs: number) => (attempt: number) => Math.min(baseMs * 5 ** (attempt - 1), 300_000);
const UNCERTAIN_REASON =
  'Delivery uncertain: the server stopped while this message was being sent. It was not re-sent automatically, to avoid a duplicate; check the conversation before sending it again.';

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = 0;
  private draining = false;
  private again = false;
  private stopped = true;
  private readonly idle = new Set<() => void>();

  constructor(private readonly deps: OutboxDeps) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.failAbandoned();
    this.timer = setInterval(() => this.kick(), this.deps.pollMs ?? 2_000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.running > 0 || this.draining) await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    void this.drain().finally(() => {
      this.draining = false;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      } else if (this.running === 0) {
        for (const done of this.idle) done();
        this.idle.clear();
      }
    });
  }

  /**
   * Messages left `sending` with an expired lease: a process died mid-send. Never retried (no double send). Each is
   * taken with one atomic findOneAndUpdate (re-leased to this process), so of several processes sweeping at once
   * only one marks it failed and publishes the status. Runs at start and before each drain (a sibling process may
   * have died while this one keeps running).
   */
  private async failAbandoned(): Promise<void> {
    for (;;) {
      const now = new Date();
      const m = await MessageModel.findOneAndUpdate(
        { 'outbox.state': 'sending', 'outbox.lockedUntil': { $lt: now } },
        { $set: { 'outbox.lockedUntil': new Date(now.getTime() + (this.deps.leaseMs ?? 120_000)) } },
        { returnDocument: 'after' },
      );
      if (!m) return;
      await this.finish(m, { ok: false, transient: false, code: 'uncertain', reason: UNCERTAIN_REASON });
    }
  }

  private async drain(): Promise<void> {
    const limit = this.deps.concurrency ?? 8;
    const inFlight = new Set<Promise<void>>();
    await this.failAbandoned().catch((err) => this.deps.logger.error({ err }, 'could not sweep abandoned sends'));
    for (;;) {
      if (this.stopped) break;
      while (inFlight.size >= limit) await Promise.race(inFlight);
      const msg = await this.claim();
      if (!msg) break;
      this.running++;
      const p = this.attempt(msg)
        .catch((err) => this.deps.logger.error({ err, messageId: String(msg._id) }, 'outbox attempt crashed'))
        .finally(() => {
          this.running--;
          inFlight.delete(p);
        });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }

  private claim(): Promise<MessageDoc | null> {
    const now = new Date();
    return MessageModel.findOneAndUpdate(
      { 'outbox.state': 'pending', 'outbox.nextAttemptAt': { $lte: now } },
      {
        $set: {
          'outbox.state': 'sending',
          'outbox.lockedUntil': new Date(now.getTime() + (this.deps.leaseMs ?? 120_000)),
        },
        $inc: { 'outbox.attempts': 1 },
      },
      { sort: { 'outbox.nextAttemptAt': 1 }, returnDocument: 'after' },
    );
  }

  private async attempt(msg: MessageDoc): Promise<void> {
    let result: SendResult;
    try {
      const payload = await this.payloadFor(msg);
      const adapter = await this.deps.adapterFor(String(msg.channelId));
      result = await adapter.send(payload);
    } catch (err) {
      // Building the payload or resolving the channel failed before anything was sent.
      this.deps.logger.warn({ err, messageId: String(msg._id) }, 'outbound message could not be prepared');
      result = {
        ok: false,
        transient: false,
        code: 'internal',
        reason: (err as Error).message || 'The message could not be prepared for sending.',
      };
    }
    await this.finish(msg, result);
  }

  private async payloadFor(msg: MessageDoc): Promise<OutboundPayload> {
    const conv = await ConversationModel.findById(msg.conversationId).lean();
    if (!conv?.replyTo) throw new Error('The conversation no longer exists.');
    const to = { kind: conv.replyTo.kind as OutboundPayload['to']['kind'], value: conv.replyTo.value };
    const kind = msg.kind as OutboundPayload['kind'];
    let media: OutboundMedia | undefined;
    if (msg.media?.fileId) {
      media = {
        bytes: await this.deps.readMedia(msg.media.fileId),
        mimeType: msg.media.mimeType ?? 'application/octet-stream',
        filename: msg.media.filename ?? 'file',
      };
    }
    const template = msg.template as OutboundPayload['template'] | null;
    return {
      to,
      kind,
      text: msg.text ?? undefined,
      template: kind === 'template' && template ? template : undefined,
      media,
      humanAgentTag: msg.outbox?.humanAgentTag ?? false,
    };
  }

  private async finish(msg: MessageDoc, result: SendResult): Promise<void> {
    const channelId = String(msg.channelId);
    const attempts = msg.outbox?.attempts ?? 1;
    if (result.ok) {
      const current = (await MessageModel.findById(msg._id).select('status').lean())?.status as MessageStatus;
      const status: MessageStatus = isStatusProgress(current ?? 'queued', 'sent') ? 'sent' : current;
      await MessageModel.updateOne(
        { _id: msg._id },
        {
          $set: {
            providerMessageId: result.providerMessageId,
            status,
            statusAt: new Date(),
            'outbox.state': 'done',
            'outbox.lockedUntil': null,
          },
        },
      );
      this.deps.bus.publish('message.status', {
        channelId,
        conversationId: String(msg.conversationId),
        messageId: String(msg._id),
        status,
      });
      await this.deps.applyPendingStatuses(channelId, result.providerMessageId);
      return;
    }
    if (result.transient && attempts < (this.deps.maxAttempts ?? 6)) {
      const delay = (this.deps.backoffMs ?? retryDelay(1_000))(attempts);
      await MessageModel.updateOne(
        { _id: msg._id },
        {
          $set: {
            'outbox.state': 'pending',
            'outbox.nextAttemptAt': new Date(Date.now() + delay),
            'outbox.lockedUntil': null,
          },
        },
      );
      this.deps.logger.info(
        { messageId: String(msg._id), code: result.code, attempts, delay },
        'outbound send will be retried',
      );
      if (delay < (this.deps.pollMs ?? 2_000)) setTimeout(() => this.kick(), delay).unref();
      return;
    }
    const updated = await MessageModel.findOneAndUpdate(
      { _id: msg._id },
      {
        $set: {
          status: 'failed',
          statusAt: new Date(),
          error: { code: result.code, reason: result.reason },
          'outbox.state': 'failed',
          'outbox.lockedUntil': null,
        },
      },
      { returnDocument: 'after' },
    );
    if (!updated) return;
    const conversationId = String(msg.conversationId);
    this.deps.bus.publish('message.status', {
      channelId,
      conversationId,
      messageId: String(msg._id),
      status: 'failed',
    });
    const author = updated.authorId ? await UserModel.findById(updated.authorId).select('name').lean() : null;
    publishMessageUpdated(
      this.deps.bus,
      updated,
      { kind: 'system', id: 'outbox' },
      author ? { id: String(author._id), name: author.name } : null,
    );
  }
}
