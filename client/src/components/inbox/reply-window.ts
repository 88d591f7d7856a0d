// The reply-window rules the composer shows (docs/channels.md): free-form replies within the
// channel's window after the customer's last message; then WhatsApp allows approved templates only, Messenger lets
// a human agent answer for 7 days. Mirrors server/src/channels/capabilities.ts (not shared yet). Must never be the
// guard: the server decides and answers 422 window_closed, which the composer shows as well.
import type { ChannelKind, Conversation } from '../../../../shared/src/index.js';

interface WindowRules {
  replyWindowHours: number | null;
  humanAgentWindowHours: number | null;
  templates: boolean;
}

const RULES: Record<ChannelKind, WindowRules> = {
  'whatsapp-cloud': { replyWindowHours: 24, humanAgentWindowHours: null, templates: true },
  sandbox: { replyWindowHours: 24, humanAgentWindowHours: null, templates: true },
  messenger: { replyWindowHours: 24, humanAgentWindowHours: 168, templates: false },
  'whatsapp-web': { replyWindowHours: null, humanAgentWindowHours: null, templates: false },
};
const DEFAULT_RULES = RULES['whatsapp-cloud'];
const HOUR = 3_600_000;

export type ReplyWindow =
  /** No window on this channel (a linked WhatsApp number). */
  | { state: 'none' }
  | { state: 'open'; closesAt: number }
  /** Past the standard window, a human agent may still answer (Messenger HUMAN_AGENT tag). */
  | { state: 'human'; closesAt: number }
  /** Closed since `closedAt` (null: the customer never wrote); `templates` says whether a template can be sent. */
  | { state: 'closed'; closedAt: number | null; templates: boolean; neverWrote: boolean };

function time(iso: string | null): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export function replyWindow(c: Conversation, kind: ChannelKind | undefined, now: number): ReplyWindow {
  const rules = kind ? RULES[kind] : DEFAULT_RULES;
  if (rules.replyWindowHours === null) return { state: 'none' };
  const lastInbound = time(c.lastInboundAt);
  const expires =
    time(c.windowExpiresAt) ?? (lastInbound === null ? null : lastInbound + rules.replyWindowHours * HOUR);
  if (expires === null) return { state: 'closed', closedAt: null, templates: rules.templates, neverWrote: true };
  if (now < expires) return { state: 'open', closesAt: expires };
  if (rules.humanAgentWindowHours !== null && lastInbound !== null) {
    const humanUntil = lastInbound + rules.humanAgentWindowHours * HOUR;
    if (now < humanUntil) return { state: 'human', closesAt: humanUntil };
    return { state: 'closed', closedAt: humanUntil, templates: rules.templates, neverWrote: false };
  }
  return { state: 'closed', closedAt: expires, templates: rules.templates, neverWrote: false };
}

export function windowHours(kind: ChannelKind | undefined): number {
  return (kind ? RULES[kind] : DEFAULT_RULES).replyWindowHours ?? 24;
}
