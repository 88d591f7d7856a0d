// Types of the outbound guard chain: what a check sees and what it answers. Must never import models or HTTP.
import type { SendRefusalCode } from '../../../../shared/src/index.js';
import type { ChannelCapabilities } from '../../channels/adapter.js';

export interface GuardContext {
  now: Date;
  channel: { id: string; kind: string; capabilities: ChannelCapabilities };
  conversation: { id: string; lastInboundAt: Date | null };
  contact: { id: string; erasedAt: Date | null };
  /** What is being sent: free-form (text/media) or an approved template. */
  message: {
    kind: 'text' | 'template' | 'image' | 'document' | 'video' | 'audio';
    text?: string;
    /** For templates: the admin-managed template record (category decides consent) and the agent's variables. */
    template?: {
      name: string;
      category: 'marketing' | 'utility' | 'authentication';
      params: string[];
      /** The provider's status of the template (null: none reported) and its reason. */
      providerStatus?: string | null;
      providerStatusReason?: string | null;
    };
  };
  /** Who sends: a console user (human agent), an integration token, or Parley itself (opt-out confirmations). */
  actor: { type: 'user'; id: string } | { type: 'integration'; id: string } | { type: 'system'; id: string };
  /** Set when a supervisor approved this exact send in the review queue: a content `hold` must not hold it again. */
  review?: { approvedBy: string };
}

/** Decisions a passing check may attach (e.g. Messenger's HUMAN_AGENT tag). */
export interface GuardAllowance {
  humanAgentTag?: boolean;
}

export type GuardDecision =
  | { ok: true; allowance: GuardAllowance }
  | { ok: false; code: SendRefusalCode; message: string; check: string; rule?: string };

export type GuardCheck = (
  ctx: GuardContext,
) => GuardAllowance | Promise<GuardAllowance> | Refusal | Promise<Refusal | GuardAllowance>;

export class Refusal {
  constructor(
    readonly code: SendRefusalCode,
    readonly message: string,
    /** Which rule refused (content policy), for the audit trail. */
    readonly rule?: string,
  ) {}
}
