// The outbox worker: claims queued outbound messages (a lease per message, safe with several processes), calls
// the channel adapter once per attempt, stores the provider id, retries only failures the provider certainly did
// not act on (5xx, throttling, connection refused) with backoff, and never re-sends a message whose attempt may
// have reached the provider (a crash or timeout mid-send marks it failed "uncertain" instead). Must never bypass
// inbox/sender (it only sends what the sender queued after the guard).
import type { MessageStatus } from '../../../shared/src/index.js';
import type { ChannelAdapter, OutboundMedia, OutboundPayload, SendResult } from '../channels/adapter.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { mongoConversations, type ConversationStore } from '../data/conversations.js';
import type { Id } from '../data/ids.js';
import { mongoMessages, type MessageLean, type MessageStore } from '../data/messages.js';
import { mongoUsers, type UserStore } from '../data/users.js';
import { isStatusProgress } from './outbound-status.js';
import { publishMessageUpdated } from '../events/publish.js';

export interface OutboxDeps {
  bus: EventBus;
  logger: Logger;
  adapterFor(channelId: string): Promise<ChannelAdapter>;
  /** Reads a stored media file (GridFS). */
  readMedia(fileId: Id): Promise<Buffer>;
  /** Applies statuses that arrived before the provider id was known. */
  applyPendingStatuses(channelId: string, providerMessageId: string): Promise<void>;
  /** Backoff before attempt n+1 (ms). */
  backoffMs?: (attempt: number) => number;
  maxAttempts?: number;
  leaseMs?: number;
  pollMs?: number;
  concurrency?: number;
  /** The stores the worker works with (the MongoDB ones unless given). */
  stores?: { messages: MessageStore; conversations: ConversationStore; users: UserStore };
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

  private readonly messages: MessageStore;
  private readonly conversations: ConversationStore;
  private readonly users: UserStore;

  constructor(private readonly deps: OutboxDeps) {
    this.messages = deps.stores?.messages ?? mongoMessages;
    this.conversations = deps.stores?.conversations ?? mongoConversations;
    this.users = deps.stores?.users ?? mongoUsers;
  }

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
   * taken atomically (re-leased to this process), so of several processes sweeping at once
   * only one marks it failed and publishes the status. Runs at start and before each drain (a sibling process may
   * have died while this one keeps running).
   */
  private async failAbandoned(): Promise<void> {
    for (;;) {
      const now = new Date();
      const m = await this.messages.takeAbandonedSend(now, new Date(now.getTime() + (this.deps.leaseMs ?? 120_000)));
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

  private claim(): Promise<MessageLean | null> {
    const now = new Date();
    return this.messages.claimSend(now, new Date(now.getTime() + (this.deps.leaseMs ?? 120_000)));
  }

  private async attempt(msg: MessageLean): Promise<void> {
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

  private async payloadFor(msg: MessageLean): Promise<OutboundPayload> {
    const conv = await this.conversations.get(msg.conversationId);
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

  private async finish(msg: MessageLean, result: SendResult): Promise<void> {
    const channelId = String(msg.channelId);
    const attempts = msg.outbox?.attempts ?? 1;
    if (result.ok) {
      const current = (await this.messages.statusOf(msg._id)) as MessageStatus;
      const status: MessageStatus = isStatusProgress(current ?? 'queued', 'sent') ? 'sent' : current;
      await this.messages.markSent(msg._id, result.providerMessageId, status);
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
      await this.messages.retrySendAt(msg._id, new Date(Date.now() + delay));
      this.deps.logger.info(
        { messageId: String(msg._id), code: result.code, attempts, delay },
        'outbound send will be retried',
      );
      if (delay < (this.deps.pollMs ?? 2_000)) setTimeout(() => this.kick(), delay).unref();
      return;
    }
    const updated = await this.messages.markSendFailed(msg._id, { code: result.code, reason: result.reason });
    if (!updated) return;
    const conversationId = String(msg.conversationId);
    this.deps.bus.publish('message.status', {
      channelId,
      conversationId,
      messageId: String(msg._id),
      status: 'failed',
    });
    const [author] = updated.authorId ? await this.users.names([updated.authorId]) : [];
    publishMessageUpdated(
      this.deps.bus,
      updated,
      { kind: 'system', id: 'outbox' },
      author ? { id: String(author._id), name: author.name } : null,
    );
  }
}
