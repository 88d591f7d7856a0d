// Inbound hooks: domain steps that must run, in order, on every newly stored inbound message before it is pushed
// to agents (compliance: opt-out keywords, reports; attribution: the first message's ad source). Registered at
// start-up (server.ts). A failing hook is logged and never loses the message. Must never emit on sockets.
import type { InboundMessage } from '../channels/adapter.js';
import type { Logger } from '../logger.js';

export interface InboundContext {
  channelId: string;
  channelKind: string;
  conversationId: string;
  contactId: string;
  messageId: string;
  message: InboundMessage;
  /** True for the first inbound message of this conversation. */
  firstInbound: boolean;
  /** The referral stored with the message (its own, or the one waiting on the conversation; `at` = click time). */
  referral: (InboundMessage['referral'] & { at?: string }) | null;
}

/** A hook that changed the conversation document says so, and ingest publishes the conversation as it is now. */
export type InboundHookResult = void | { conversationChanged: boolean };
export type InboundHook = (ctx: InboundContext) => Promise<InboundHookResult>;

export class InboundHooks {
  private readonly hooks: Array<{ name: string; run: InboundHook }> = [];
  constructor(private readonly logger?: Logger) {}

  register(name: string, run: InboundHook): void {
    this.hooks.push({ name, run });
  }

  async run(ctx: InboundContext): Promise<{ changedConversation: boolean }> {
    let changedConversation = false;
    for (const h of this.hooks) {
      try {
        const r = await h.run(ctx);
        if (r?.conversationChanged) changedConversation = true;
      } catch (err) {
        changedConversation = true; // it may have changed it before failing
        this.logger?.error({ err, hook: h.name, messageId: ctx.messageId }, 'inbound hook failed');
      }
    }
    return { changedConversation };
  }
}
