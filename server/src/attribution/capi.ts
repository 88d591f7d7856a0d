// Conversions API for business messaging: queues LeadSubmitted / QualifiedLead / Purchase for attributed leads in a
// durable MongoDB outbox (deterministic event_id = sha256(conversation id + event name), unique: queued once),
// and a worker that claims due items with a lease (several processes are safe), posts to
// {GRAPH}/{version}/{CAPI_DATASET_ID}/events, retries 429/5xx/network errors with exponential backoff honouring
// Retry-After, and dead-letters the rest. Off unless CAPI_DATASET_ID + CAPI_ACCESS_TOKEN are set. Skips contacts
// whose ad_measurement consent is withdrawn (or, with CAPI_REQUIRE_CONSENT, not granted). An item found mid-send
// after a crash is never re-sent (Meta does not dedupe): it goes dead for an admin to judge.
// Must never log or return the payload (ctwa_clid, PSID) or the access token.
import { createHash, randomUUID } from 'node:crypto';
import type { CapiOutboxItem } from '../../../shared/src/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { mongoCapiStore, type CapiEventLean, type CapiState, type CapiStore } from '../data/capi.js';
import { consentState } from '../policy/consent.js';

export type CapiEventName = 'LeadSubmitted' | 'QualifiedLead' | 'Purchase';

export interface CapiOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  leaseMs: number;
  pollMs: number;
}

export const capiEventId = (conversationId: string, eventName: string) =>
  createHash('sha256').update(`${conversationId}:${eventName}`).digest('hex');

export class CapiOutbox {
  readonly options: CapiOptions;
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** Set by stop(): a drain in progress ends after its current item. */
  private closing = false;
  private again = false;

  private readonly store: CapiStore;

  constructor(
    private readonly deps: { config: Config; logger: Logger; fetch?: typeof fetch; store?: CapiStore },
    options: Partial<CapiOptions> = {},
  ) {
    this.store = deps.store ?? mongoCapiStore;
    this.options = {
      baseDelayMs: 30_000,
      maxDelayMs: 6 * 3_600_000,
      maxAttempts: 8,
      leaseMs: 60_000,
      pollMs: 5_000,
      ...options,
    };
  }

  get enabled(): boolean {
    return !!(this.deps.config.CAPI_DATASET_ID && this.deps.config.CAPI_ACCESS_TOKEN);
  }

  /** Queues an event for an attributed lead (ctwa_clid or PSID known). No-op when off or not attributable. */
  async enqueue(conversationId: string, eventName: CapiEventName): Promise<boolean> {
    if (!this.enabled) return false;
    const lead = await this.store.leadWithIdentifiers(conversationId);
    if (!lead || lead.source === 'organic') return false;
    let userData: Record<string, string>;
    let channel: 'whatsapp' | 'messenger';
    if (lead.ctwaClid) {
      channel = 'whatsapp';
      const waba = await this.store.wabaIdOf(lead.channelId);
      userData = { ...(waba ? { whatsapp_business_account_id: waba } : {}), ctwa_clid: lead.ctwaClid };
    } else if (lead.psid && lead.pageId) {
      channel = 'messenger';
      userData = { page_id: lead.pageId, page_scoped_user_id: lead.psid };
    } else return false;
    const eventId = capiEventId(conversationId, eventName);
    const event: Record<string, unknown> = {
      event_name: eventName,
      event_time: Math.floor(Date.now() / 1000),
      event_id: eventId,
      action_source: 'business_messaging',
      messaging_channel: channel,
      user_data: userData,
    };
    if (eventName === 'Purchase')
      event.custom_data = { currency: lead.currency ?? 'USD', value: (lead.value ?? 0) / 100 };
    const queued = await this.store.queue({
      eventId,
      eventName,
      conversationId,
      contactId: lead.contactId,
      payload: event,
    });
    if (queued === 'duplicate') return false; // already queued or sent: never twice
    this.kick();
    return true;
  }

  async start(): Promise<void> {
    if (!this.enabled) return;
    this.stopped = false;
    this.closing = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain()
        .catch((err) => this.deps.logger.error({ err }, 'capi outbox pass failed'))
        .finally(() => {
          this.running = null;
          const more = this.again;
          this.again = false;
          this.schedule(more ? 0 : this.options.pollMs);
        });
    }, ms);
    this.timer.unref?.();
  }

  /** Sends every due item once; exported for tests. */
  async drain(): Promise<void> {
    // Items left mid-send by a crashed process: never re-sent blind.
    await this.store.deadenInterrupted(new Date(), 'interrupted while sending; not re-sent to avoid a duplicate');
    for (let i = 0; i < 100 && !this.closing; i++) {
      const now = new Date();
      const item = await this.store.claimNext(now, new Date(now.getTime() + this.options.leaseMs), this.owner);
      if (!item) return;
      await this.sendOne(item);
    }
  }

  private async sendOne(item: CapiEventLean): Promise<void> {
    const { config } = this.deps;
    const settle = (set: Record<string, unknown>) => this.store.settle(item._id, this.owner, set);
    const consent = await consentState(String(item.contactId));
    if (consent.adMeasurement === 'withdrawn' || (config.CAPI_REQUIRE_CONSENT && consent.adMeasurement !== 'granted')) {
      await settle({
        state: 'skipped',
        lastError: `ad_measurement consent ${consent.adMeasurement}`,
        leaseUntil: null,
      });
      return;
    }
    const url = `${config.GRAPH_API_BASE_URL.replace(/\/$/, '')}/${config.GRAPH_API_VERSION}/${config.CAPI_DATASET_ID}/events`;
    let status = 0;
    let retryAfter: number | null = null;
    let error = '';
    try {
      const res = await (this.deps.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${config.CAPI_ACCESS_TOKEN}` },
        body: JSON.stringify({ data: [item.payload] }),
        signal: AbortSignal.timeout(Math.min(30_000, this.options.leaseMs / 2)),
      });
      status = res.status;
      const ra = res.headers.get('retry-after');
      if (ra && /^\d+$/.test(ra.trim())) retryAfter = Number(ra) * 1000;
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string; code?: number } } | null;
        error = `HTTP ${status}${body?.error?.code ? ` code ${body.error.code}` : ''}: ${String(body?.error?.message ?? '').slice(0, 200)}`;
      } else await res.body?.cancel().catch(() => {});
    } catch (err) {
      error = `network: ${(err as Error).message.slice(0, 200)}`;
    }
    if (status >= 200 && status < 300) {
      await settle({ state: 'sent', sentAt: new Date(), lastError: null, leaseUntil: null });
      return;
    }
    const retryable = status === 0 || status === 429 || status >= 500;
    if (!retryable || (item.attempts ?? 0) >= this.options.maxAttempts) {
      await settle({ state: 'dead', lastError: error, leaseUntil: null });
      this.deps.logger.warn({ capiEvent: String(item._id), status }, 'capi event dead-lettered');
      return;
    }
    const backoff = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** ((item.attempts ?? 0) - 1));
    const delay = Math.max(backoff, retryAfter ?? 0);
    await settle({ state: 'pending', nextAttemptAt: new Date(Date.now() + delay), lastError: error, leaseUntil: null });
  }

  async list(state?: string): Promise<CapiOutboxItem[]> {
    const rows = await this.store.list(state ? (state as CapiState) : undefined);
    return rows.map((r) => ({
      id: String(r._id),
      eventName: r.eventName,
      eventId: r.eventId,
      state: r.state as CapiOutboxItem['state'],
      attempts: r.attempts ?? 0,
      lastError: r.lastError ?? null,
      nextAttemptAt: r.state === 'pending' && r.nextAttemptAt ? r.nextAttemptAt.toISOString() : null,
      createdAt: (r.createdAt ?? new Date()).toISOString(),
    }));
  }

  /** Admin: puts a dead item back in the queue. */
  async retry(id: string): Promise<boolean> {
    const retried = await this.store.retry(id);
    if (retried) this.kick();
    return retried;
  }
}
