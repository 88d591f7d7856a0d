// Conversation helpers shared by inbound intake and the outbound sender: find-or-open the thread of a (channel,
// contact) — at most one non-closed; a closed one is reused and reopened by the caller — list previews and search
// text, provisional ad attribution, and publishing the conversation as it is now on the bus (a fact: the realtime
// listener renders it). Must never emit on sockets and never build API shapes by hand (views.ts does, with masking).
import type { Attribution, Conversation } from '../../../shared/src/index.js';
import type { ContactIdentity, InboundKind, Referral } from '../channels/adapter.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import {
  mongoConversations,
  type ConversationLean,
  type ConversationStore,
  type ThreadHead,
} from '../data/conversations.js';
import type { Id } from '../data/ids.js';
import { mongoInboxStores, type InboxStores } from '../data/inbox-stores.js';
import type { Actor } from '../../../shared/src/index.js';
import { conversationState } from '../data/views.js';
import { publishConversationUpdated } from '../events/publish.js';
import { toConversationView } from './views.js';

export interface InboxDeps {
  bus: EventBus;
  logger: Logger;
  /** The stores the service works with (the MongoDB ones unless given). */
  stores?: InboxStores;
}

export type { ConversationLean, InboxStores };

/** The stores of a service's deps. */
export const storesOf = (deps: { stores?: InboxStores }): InboxStores => deps.stores ?? mongoInboxStores;

// wweb_id and wweb_lid rank equal: a linked number answers on the exact chat id the customer wrote from (listed first).
// A username is never a reply address.
const REPLY_PREFERENCE: Record<string, number> = {
  wa_id: 0,
  wa_user_id: 1,
  wa_parent_user_id: 2,
  psid: 2,
  igsid: 2,
  wweb_id: 3,
  wweb_lid: 3,
  wa_username: 99,
};

/** The identity to answer on: a wa_id when known, else the business-scoped user id, PSID, … */
export function preferredReplyTo(identities: ContactIdentity[]): ContactIdentity {
  return [...identities].sort((a, b) => (REPLY_PREFERENCE[a.kind] ?? 9) - (REPLY_PREFERENCE[b.kind] ?? 9))[0];
}

/**
 * The conversation of this contact on this channel: the newest non-closed one, else the newest closed one (the
 * caller reopens it), else a new open one. Concurrent first events open a single thread (unique threadKey).
 */
export async function findOrOpenConversation(
  channelId: Id | string,
  contactId: Id,
  replyTo: ContactIdentity,
  conversations: ConversationStore = mongoConversations,
): Promise<{ conversation: ThreadHead; created: boolean }> {
  const threadKey = `${String(channelId)}:${String(contactId)}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const recent = await conversations.recentThreads(String(channelId), contactId);
    const found = recent.find((c) => c.status !== 'closed') ?? recent[0];
    if (found) return { conversation: found, created: false };
    const doc = await conversations.open({ channelId, contactId, replyTo, threadKey });
    // 'duplicate': opened concurrently by another event: read it.
    if (doc !== 'duplicate') return { conversation: doc, created: true };
  }
  throw new Error('could not open the conversation');
}

const MEDIA_PREVIEW: Partial<Record<InboundKind, string>> = {
  image: '📷 Photo',
  video: '🎥 Video',
  audio: '🎤 Audio',
  document: '📄 Document',
  sticker: 'Sticker',
};

export function previewOf(kind: string, text: string | null, filename?: string | null): string {
  let s: string;
  if (kind === 'reaction') s = text ? `Reacted ${text}` : 'Removed a reaction';
  else if (text) s = text;
  else if (kind === 'document' && filename) s = `📄 ${filename}`;
  else s = MEDIA_PREVIEW[kind as InboundKind] ?? `[${kind}]`;
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > 140 ? `${s.slice(0, 139)}…` : s;
}

export function searchTextOf(
  handle: string,
  displayName: string | null | undefined,
  preview: string | null | undefined,
): string {
  return [handle, displayName ?? '', preview ?? ''].join(' ').toLowerCase().slice(0, 500);
}

/** A provisional attribution from an ad/link referral (the attribution module refines it later). */
export function provisionalAttribution(ref: Referral, clickedAt: Date): Attribution {
  const a: Attribution = { source: ref.source, hasClickId: !!ref.clickId, clickedAt: clickedAt.toISOString() };
  if (ref.adId) a.adId = ref.adId;
  if (ref.headline) a.headline = ref.headline;
  if (ref.sourceUrl) a.sourceUrl = ref.sourceUrl;
  if (ref.mediaUrl) a.mediaUrl = ref.mediaUrl;
  return a;
}

/** Sets the attribution only when the conversation has none yet. True when it was set. */
export function attributeIfUnset(
  conversationId: Id,
  attribution: Attribution,
  conversations: ConversationStore = mongoConversations,
): Promise<boolean> {
  return conversations.attributeIfUnset(conversationId, attribution);
}

/** Publishes `conversation.updated` with the conversation as it is now; answers its (masked) view. */
export async function publishConversation(
  deps: Pick<InboxDeps, 'bus'>,
  conversationId: Id | string,
  actor: Actor = { kind: 'system', id: 'inbox' },
): Promise<Conversation | null> {
  const state = await conversationState(conversationId);
  if (!state) return null;
  publishConversationUpdated(deps.bus, state, actor);
  const { conversation: c, contact } = state;
  return toConversationView({ ...c, _id: c.id }, { ...contact, _id: contact.id }, state.consent);
}

/** Ads customers arrived from (distinct by ad id, newest first) — the sandbox offers them to "tap" again. */
export async function recentAttributedAds(
  limit = 8,
  conversations: ConversationStore = mongoConversations,
): Promise<Array<{ adId: string; headline?: string; sourceUrl?: string; mediaUrl?: string }>> {
  const attributions = await conversations.recentAdAttributions();
  const seen = new Map<string, { adId: string; headline?: string; sourceUrl?: string; mediaUrl?: string }>();
  for (const attribution of attributions) {
    const a = attribution as Attribution | null;
    if (!a?.adId || seen.has(a.adId)) continue;
    seen.set(a.adId, {
      adId: a.adId,
      ...(a.headline ? { headline: a.headline } : {}),
      ...(a.sourceUrl ? { sourceUrl: a.sourceUrl } : {}),
      ...(a.mediaUrl ? { mediaUrl: a.mediaUrl } : {}),
    });
    if (seen.size >= limit) break;
  }
  return [...seen.values()];
}
