// The attribution module assembled for one process: the `attribution` inbound hook (resolver → lead → CAPI
// LeadSubmitted), the first-agent-reply listener (lead answered + first-response time), lead stage changes with
// their CAPI events, and the Conversions API outbox worker. Registered by server.ts. Must never emit on sockets:
// it publishes `conversation.updated` through the inbox's publishConversation.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { DomainEvents, EventBus } from '../events/bus.js';
import type { InboundContext, InboundHookResult } from '../inbox/hooks.js';
import type { LeadStageInput } from '../../../shared/src/index.js';
import { recordAudit } from '../policy/audit.js';
import { attributeFirstInbound } from './resolver.js';
import { markAnswered, setLeadStage, type StageChange } from './leads.js';
import { CapiOutbox, type CapiOptions } from './capi.js';
import type { CapiStore } from '../data/capi.js';

export interface AttributionDeps {
  config: Config;
  logger: Logger;
  bus: EventBus;
  publishConversation(conversationId: string): Promise<unknown>;
  capiOptions?: Partial<CapiOptions>;
  /** The Conversions API outbox's store (the database unless given). */
  stores?: { capi?: CapiStore };
}

export class AttributionService {
  readonly capi: CapiOutbox;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: AttributionDeps) {
    this.capi = new CapiOutbox(
      { config: deps.config, logger: deps.logger, store: deps.stores?.capi },
      deps.capiOptions,
    );
  }

  /** The inbound hook (runs before ingest publishes the conversation, so no publish here). */
  readonly hook = async (ctx: InboundContext): Promise<InboundHookResult> => {
    const r = await attributeFirstInbound(ctx);
    if (r.leadCreated && r.resolved && r.resolved.source !== 'organic')
      await this.capi.enqueue(ctx.conversationId, 'LeadSubmitted');
    return { conversationChanged: r.leadCreated };
  };

  async start(): Promise<void> {
    // First agent reply (a held message counts once a supervisor releases it: message.updated).
    const onOut = async ({ conversationId, message, actor }: DomainEvents['message.created' | 'message.updated']) => {
      if (message.direction !== 'out' || message.kind === 'note' || message.kind === 'system') return;
      if (message.status === 'held' || message.status === 'blocked') return;
      // Automatic system sends (opt-out confirmations…) are not an answer: only people and integrations count.
      if (actor.kind !== 'user' && actor.kind !== 'integration') return;
      const change = await markAnswered(conversationId, message.createdAt);
      if (change) await this.deps.publishConversation(conversationId);
    };
    const offs = [this.deps.bus.subscribe('message.created', onOut), this.deps.bus.subscribe('message.updated', onOut)];
    this.unsubscribe = () => offs.forEach((off) => off());
    await this.capi.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.capi.stop();
  }

  async setStage(
    conversationId: string,
    input: LeadStageInput,
    by: { id: string; name: string },
  ): Promise<StageChange> {
    const change = await setLeadStage(conversationId, input, by);
    await recordAudit({
      actor: { type: 'user', id: by.id, name: by.name },
      action: 'lead.stage_changed',
      target: { type: 'conversation', id: conversationId },
      details: { from: change.previous, to: change.stage, value: change.value, currency: change.currency },
    });
    if (change.stage === 'qualified') await this.capi.enqueue(conversationId, 'QualifiedLead');
    if (change.stage === 'converted') await this.capi.enqueue(conversationId, 'Purchase');
    await this.deps.publishConversation(conversationId);
    return change;
  }
}
