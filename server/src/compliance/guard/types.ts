// Types of the outbound guard chain: what a check sees and what it answers. Must never import models or HTTP.
import type { SendRefusalCode } from '../../../../shared/src/index.js';
import type { ChannelCapabilities } from '../../channels/adapter.js';

export interface GuardContext {
  now: Date;
  channel: { id: string; kind: string; capabilities: ChannelCapabilities };
  conversation: { id: string; lastInboundAt: Date | null };
  contact: { id: string; erasedAt: Date | null };
  /** What is being sent: free-form (text/media) or an approved template. */
  message: { kind: 'text' | 'template' | 'image' | 'document' | 'video' | 'audio'; text?: string };
  /** Who sends: a console user (human agent) or an integration token. */
  actor: { type: 'user'; id: string } | { type: 'integration'; id: string };
}

/** Decisions a passing check may attach (e.g. Messenger's HUMAN_AGENT tag). */
export interface GuardAllowance {
  humanAgentTag?: boolean;
}

export type GuardDecision =
  | { ok: true; allowance: GuardAllowance }
  | { ok: false; code: SendRefusalCode; message: string; check: string };

export type GuardCheck = (ctx: GuardContext) => GuardAllowance | Promise<GuardAllowance> | Refusal | Promise<Refusal | GuardAllowance>;

export class Refusal {
  constructor(
    readonly code: SendRefusalCode,
    readonly message: string,
  ) {}
}
