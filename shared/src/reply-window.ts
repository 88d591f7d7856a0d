// The reply window from the channel rules: the stage a reply is in some time after the customer's last message
// (open, human agent only, closed — the outbound guard's rule), and the window state the console's composer shows
// for a conversation (from the stored expiry). Pure functions of their inputs (the caller passes "now"). Must never
// look at message content or the actor: the guard adds those, and the guard alone refuses a send.
import type { ChannelWindowRules } from './channel-rules.js';
import { channelRules } from './channel-rules.js';
import type { ChannelKind } from './inbox.js';

export const HOUR_MS = 3_600_000;

/** 'none': the channel has no window; 'human': past the window, a human agent may still answer. */
export type WindowStage = 'none' | 'open' | 'human' | 'closed';

/**
 * The stage `ageMs` after the customer's last message (Infinity when they never wrote). Both limits are
 * inclusive: a reply exactly 24 h later is still inside a 24 h window.
 */
export function windowStage(rules: ChannelWindowRules, ageMs: number): WindowStage {
  if (rules.replyWindowHours === null) return 'none';
  if (ageMs <= rules.replyWindowHours * HOUR_MS) return 'open';
  if (rules.humanAgentWindowHours !== null && ageMs <= rules.humanAgentWindowHours * HOUR_MS) return 'human';
  return 'closed';
}

export type ReplyWindow =
  /** No window on this channel (a linked WhatsApp number). */
  | { state: 'none' }
  | { state: 'open'; closesAt: number }
  /** Past the standard window, a human agent may still answer (Messenger HUMAN_AGENT tag). */
  | { state: 'human'; closesAt: number }
  /** Closed since `closedAt` (null: the customer never wrote); `templates` says whether a template can be sent. */
  | { state: 'closed'; closedAt: number | null; templates: boolean; neverWrote: boolean };

export interface ReplyWindowInput {
  /** ISO times as the conversation view carries them (null: none). */
  lastInboundAt: string | null;
  windowExpiresAt: string | null;
  /** The channel's kind; undefined when the channel is not known (WhatsApp Cloud's rules apply). */
  kind: ChannelKind | undefined;
  /** Milliseconds since the epoch. */
  now: number;
}

function time(iso: string | null): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/**
 * The window state of a conversation: open until the stored `windowExpiresAt` (or the channel's window after the
 * last inbound message when none is stored), then the human-agent window where the channel has one, then closed.
 */
export function replyWindowState(input: ReplyWindowInput): ReplyWindow {
  const rules = channelRules(input.kind);
  if (rules.replyWindowHours === null) return { state: 'none' };
  const { now } = input;
  const lastInbound = time(input.lastInboundAt);
  const expires =
    time(input.windowExpiresAt) ?? (lastInbound === null ? null : lastInbound + rules.replyWindowHours * HOUR_MS);
  if (expires === null) return { state: 'closed', closedAt: null, templates: rules.templates, neverWrote: true };
  if (now < expires) return { state: 'open', closesAt: expires };
  if (rules.humanAgentWindowHours !== null && lastInbound !== null) {
    const humanUntil = lastInbound + rules.humanAgentWindowHours * HOUR_MS;
    if (now < humanUntil) return { state: 'human', closesAt: humanUntil };
    return { state: 'closed', closedAt: humanUntil, templates: rules.templates, neverWrote: false };
  }
  return { state: 'closed', closedAt: expires, templates: rules.templates, neverWrote: false };
}

/** The length of the channel's standard reply window in hours (24 where the channel has none). */
export function windowHours(kind: ChannelKind | undefined): number {
  return channelRules(kind).replyWindowHours ?? 24;
}
