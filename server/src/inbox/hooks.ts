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
}

export type InboundHook = (ctx: InboundContext) => Promise<void>;

export class InboundHooks {
  private readonly hooks: Array<{ name: string; run: InboundHook }> = [];
  constructor(private readonly logger?: Logger) {}

  register(name: string, run: InboundHook): void {
    this.hooks.push({ name, run });
  }

  async run(ctx: InboundContext): Promise<void> {
    for (const h of this.hooks) {
      try {
        await h.run(ctx);
      } catch (err) {
        this.logger?.error({ err, hook: h.name, messageId: ctx.messageId }, 'inbound hook failed');
      }
    }
  }
}
