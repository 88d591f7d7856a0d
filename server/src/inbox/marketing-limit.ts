// WhatsApp error 131049 (Meta's per-user limit on marketing messages) is not an opt-out: the failed message is
// marked with the reason `meta_marketing_limit` and ONE retry is scheduled no sooner than 24 h after the failure.
// When it is due, the retry goes through inbox/sender like any send, so the whole guard runs again then (consent
// withdrawn meanwhile, a template paused, the frequency cap — the failure itself counts towards it — refuse it);
// a retry that fails with 131049 again is not retried. Must never call a provider directly, never schedule a
// second retry for a message, and never change consent.
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { isDomainError } from '../errors.js';
import { toId, type Id } from '../data/ids.js';
import { mongoMarketingRetries, type MarketingRetryStore } from '../data/marketing-retries.js';
import { mongoMessages, type MessageLean, type MessageStore } from '../data/messages.js';
import { publishMessageUpdated } from '../events/publish.js';
import type { OutboundRequest, Sender, SendOptions } from './sender.js';

export const MARKETING_LIMIT_ERROR = '131049';
export const MARKETING_LIMIT_REASON = 'meta_marketing_limit';
export const MARKETING_RETRY_DELAY_MS = 24 * 3_600_000;
const ABANDONED_AFTER_MS = 10 * 60_000;
export const RETRY_SENDER: Sender = { type: 'system', id: 'marketing-retry', name: 'Parley (retry after 131049)' };

export interface MarketingLimitDeps {
  bus: EventBus;
  logger: Logger;
  /** inbox/sender's send: the one send path (guard → queued). */
  send(conversationId: string, req: OutboundRequest, by: Sender, opts: SendOptions): Promise<{ id: string }>;
  sweepMs?: number;
  stores?: { messages?: MessageStore; retries?: MarketingRetryStore };
}

const reasonText = (at: Date | null) =>
  at
    ? `WhatsApp limited marketing messages to this customer (error 131049, not an opt-out). It will be retried once, no sooner than ${at.toISOString()}, if the outbound guard still allows it then.`
    : 'WhatsApp limited marketing messages to this customer again (error 131049, not an opt-out). This was the one retry: it is not sent again.';

/** What a retry sends: the same template (or text) as the message that hit the limit. */
function requestOf(m: MessageLean): OutboundRequest | null {
  const t = m.template as { name?: string; language?: string; params?: string[] } | null;
  if (m.kind === 'template' && t?.name && t.language)
    return { template: { name: t.name, language: t.language, params: t.params ?? [] } };
  if (m.kind === 'text' && m.text) return { text: m.text };
  return null;
}

export class MarketingLimitRetries {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private sweeping: Promise<void> | null = null;
  private readonly messages: MessageStore;
  private readonly retries: MarketingRetryStore;

  constructor(private readonly deps: MarketingLimitDeps) {
    this.messages = deps.stores?.messages ?? mongoMessages;
    this.retries = deps.stores?.retries ?? mongoMarketingRetries;
  }

  start(): void {
    this.unsubscribe = this.deps.bus.subscribe('message.status', async (e) => {
      if (e.status !== 'failed') return;
      await this.onFailed(e.messageId).catch((err) =>
        this.deps.logger.warn({ err, messageId: e.messageId }, 'could not handle a marketing-limit failure'),
      );
    });
    this.timer = setInterval(() => void this.sweep(), this.deps.sweepMs ?? 60_000);
    this.timer.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.sweeping;
  }

  /** A failed outbound message: on 131049, the reason and (once) the retry. */
  async onFailed(messageId: string): Promise<void> {
    const m = await this.messages.get(messageId);
    if (!m || m.direction !== 'out' || String(m.error?.code ?? '') !== MARKETING_LIMIT_ERROR) return;
    const failedAt = Math.max(Date.now(), m.statusAt?.getTime() ?? 0);
    const at = m.retryOf ? null : new Date(failedAt + MARKETING_RETRY_DELAY_MS);
    const scheduled = await this.retries.markLimited(
      m._id,
      { code: MARKETING_LIMIT_REASON, reason: reasonText(at) },
      at,
    );
    if (at && !scheduled) return; // scheduled by an earlier delivery of this failure
    const updated = await this.messages.get(m._id);
    if (updated) publishMessageUpdated(this.deps.bus, updated, { kind: 'system', id: RETRY_SENDER.id });
  }

  /** Sends every due retry (one claim at a time; several processes may sweep at once). */
  sweep(now: () => Date = () => new Date()): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        // A retry a process died in the middle of (claimed over 10 minutes ago): settled, never sent twice.
        while (await this.retries.settleAbandoned(new Date(now().getTime() - ABANDONED_AFTER_MS)));
        for (;;) {
          const due = await this.retries.claimDue(now());
          if (!due) return;
          await this.retry(due);
        }
      } catch (err) {
        this.deps.logger.error({ err }, 'marketing-limit retry sweep failed');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  private async retry(m: MessageLean): Promise<void> {
    const id: Id = m._id;
    const req = requestOf(m);
    if (!req) return this.retries.finish(id, { state: 'failed', code: 'not_retryable' });
    try {
      const sent = await this.deps.send(String(m.conversationId), req, RETRY_SENDER, { retryOf: String(id) });
      await this.retries.finish(id, { state: 'sent', messageId: toId(sent.id) });
    } catch (err) {
      const code = isDomainError(err) ? err.code : 'internal';
      if (!isDomainError(err)) this.deps.logger.warn({ err, messageId: String(id) }, 'marketing-limit retry failed');
      await this.retries.finish(id, { state: isDomainError(err, 'refused') ? 'refused' : 'failed', code });
    }
  }
}
