// Applies normalized channel events to the inbox: resolves the contact, finds/opens/reopens the conversation, stores
// the inbound message idempotently (unique channel + provider id: a redelivery is a no-op — no second message, no
// second unread, no second socket event), refreshes the reply window, preview, search text and unread count, keeps
// ad referrals (provisional attribution; Messenger referral-only events wait on the conversation as pendingReferral),
// hands media to the downloader, and publishes on the bus. Numbers in system lines and contact cards are stored
// masked (the original only in `fullText`, for the audited reveal); a message time ahead of ours counts as now.
// Must never emit on sockets, build API shapes by hand, or put an unmasked system/contact-card text in a preview.
import type { ChannelCapabilities, ChannelEvent, InboundMessage, Referral, ReferralOnly } from '../channels/adapter.js';
import { MAX_FUTURE_SKEW_MS, trustedTime } from '../channels/timestamps.js';
import { agentVisibleText } from '../policy/masking.js';
import type { ContactLean } from './contacts.js';
import { resolveCustomer } from './contact-merge.js';
import { applyPreference } from './preferences.js';
import {
  attributeIfUnset,
  findOrOpenConversation,
  preferredReplyTo,
  previewOf,
  provisionalAttribution,
  publishConversation,
  searchTextOf,
  storesOf,
  type ConversationLean,
  type InboxDeps,
  type InboxStores,
} from './conversations.js';
import { applyStatus } from './statuses.js';
import type { InboundHooks } from './hooks.js';
import { contactFact, conversationFact, publishConversationUpdated, publishMessageCreated } from '../events/publish.js';

export interface IngestDeps extends InboxDeps {
  /** Ordered domain steps run on each new inbound message before it is published (compliance, attribution). */
  hooks?: InboundHooks;
  /** Called after an inbound media message is stored; downloads the file in the background. */
  onMediaStored?(messageId: string): void;
}

export interface IngestChannel {
  id: string;
  kind: string;
  capabilities: ChannelCapabilities;
}

export async function applyChannelEvent(deps: IngestDeps, channel: IngestChannel, event: ChannelEvent): Promise<void> {
  switch (event.type) {
    case 'message':
      await ingestMessage(deps, channel, event.message);
      return;
    case 'status':
      await applyStatus(deps, channel.id, event.status);
      return;
    case 'referral':
      await keepReferral(deps, channel, event.referral);
      return;
    case 'identity_link':
      // The provider says these ids are one person: resolving them together merges their contacts.
      await resolveCustomer(deps, { ...event.link, seenAt: event.link.timestamp });
      return;
    case 'preference':
      await applyPreference(deps, channel, event.preference);
      return;
  }
}

type PendingReferral = Referral & { at?: string };

/** Stores one inbound message; returns false when it was a redelivery (nothing changed). */
export async function ingestMessage(
  deps: IngestDeps,
  channel: IngestChannel,
  received: InboundMessage,
): Promise<boolean> {
  // Windows and ordering never run on a time ahead of ours (normalizers clamp already; this covers every caller).
  const m: InboundMessage = { ...received, timestamp: trustedTime(received.timestamp) };
  const { conversations, messages } = storesOf(deps);
  const shownText = agentVisibleText(m.kind, m.text);
  // Cheap redelivery check first (the unique index below is what guarantees it).
  // Resolving the contact alongside is harmless for a redelivery: its contact exists and gets the same values.
  const [redelivered, contact] = await Promise.all([
    messages.seen(channel.id, m.providerMessageId),
    resolveCustomer(deps, {
      identities: m.identities,
      phone: m.phone,
      displayName: m.displayName,
      username: m.username,
      seenAt: m.timestamp,
    }),
  ]);
  if (redelivered) return false;
  const replyTo = preferredReplyTo(m.identities);
  const { conversation: conv } = await findOrOpenConversation(channel.id, contact._id, replyTo, conversations);

  const pending = (conv.pendingReferral as PendingReferral | null) ?? null;
  // A pending (referral-only) event keeps its time as `at`: attribution uses it as the click time.
  const referral: PendingReferral | undefined = m.referral ?? pending ?? undefined;
  const msg = await messages.insertInbound({
    conversationId: conv._id,
    channelId: channel.id,
    contactId: contact._id,
    direction: 'in',
    kind: m.kind,
    text: shownText,
    fullText: shownText !== m.text ? m.text : null,
    media: m.media
      ? {
          providerMediaId: m.media.providerMediaId ?? null,
          url: m.media.url ?? null,
          mimeType: m.media.mimeType ?? null,
          filename: m.media.filename ?? null,
          state: 'pending',
        }
      : null,
    status: 'received',
    statusAt: m.timestamp,
    providerMessageId: m.providerMessageId,
    providerType: m.providerType,
    // The provider's own value (unclamped, null when it was unreadable); m.timestamp is what the inbox uses.
    providerTimestamp: received.providerTimestamp === undefined ? received.timestamp : received.providerTimestamp,
    replyPayload: m.replyPayload ?? null,
    contextProviderId: m.contextMessageId ?? null,
    reactionTo: m.reactionTo ?? null,
    referral: referral ?? null,
  });
  if (msg === 'duplicate') return false; // delivered twice at the same moment: the other one stored it

  // A closed thread reopens on the customer's message, and so does a snoozed one (before its time).
  const wasClosed = conv.status === 'closed' || conv.status === 'snoozed';
  // The first inbound message of the thread: none was recorded on it before this one.
  const firstInbound = !conv.lastInboundAt;
  let fresh = await updateConversation(conversations, conv, contact, channel, m, shownText, wasClosed);
  if (pending) fresh = await conversations.clearPendingReferral(conv._id);
  // Attribution (ad / link / organic) is resolved by the `attribution` inbound hook from the stored referral.

  const channelId = channel.id;
  if (deps.hooks) {
    const ran = await deps.hooks.run({
      channelId,
      channelKind: channel.kind,
      conversationId: String(conv._id),
      contactId: String(contact._id),
      messageId: String(msg._id),
      message: m,
      firstInbound,
      referral: referral ?? null,
    });
    // A hook changed the conversation (attribution, opt-out): publish what it is now.
    if (ran.changedConversation) fresh = await conversations.byId(conv._id);
  }
  const actor = { kind: 'contact', id: String(contact._id) } as const;
  publishMessageCreated(deps.bus, msg, actor);
  // The consent badges are read by the listener that renders the conversation.
  if (fresh)
    publishConversationUpdated(
      deps.bus,
      { conversation: conversationFact(fresh), contact: contactFact(contact) },
      actor,
    );
  if (m.media) deps.onMediaStored?.(String(msg._id));
  return true;
}

/** Applies the message to its conversation; answers the conversation as it is now. */
async function updateConversation(
  conversations: InboxStores['conversations'],
  conv: Pick<ConversationLean, '_id' | 'lastInboundAt'>,
  contact: ContactLean,
  channel: IngestChannel,
  m: InboundMessage,
  shownText: string | null,
  wasClosed: boolean,
): Promise<ConversationLean | null> {
  const t = m.timestamp;
  const hours = channel.capabilities.replyWindowHours;
  const counts = m.kind !== 'reaction' && m.kind !== 'system';
  const preview = previewOf(m.kind, shownText, m.media?.filename);
  const windowFields = {
    lastInboundAt: t,
    ...(hours ? { windowExpiresAt: new Date(t.getTime() + hours * 3_600_000) } : {}),
  };
  // A window stored from a future provider time (before times were clamped) is replaced, not kept by $max.
  const poisoned = !!conv.lastInboundAt && conv.lastInboundAt.getTime() > Date.now() + MAX_FUTURE_SKEW_MS;
  const common = {
    ...(poisoned ? {} : { $max: windowFields }),
    ...(counts ? { $inc: { unreadCount: 1 } } : {}),
  };
  const reopen = {
    ...(wasClosed ? { status: 'open', closedAt: null, snoozedUntil: null } : {}),
    ...(poisoned ? windowFields : {}),
  };
  const replyTo = preferredReplyTo(m.identities);
  // The newest message also sets the list preview, ordering, search text and reply address.
  return conversations.applyInbound({
    id: conv._id,
    at: t,
    newest: {
      ...common,
      $set: {
        ...reopen,
        lastMessageAt: t,
        lastMessagePreview: preview,
        searchText: searchTextOf(contact.handle, contact.displayName, preview),
        replyTo: { kind: replyTo.kind, value: replyTo.value },
      },
    },
    older: { ...common, ...(Object.keys(reopen).length ? { $set: reopen } : {}) },
  });
}

/**
 * A referral without a message (Messenger OPEN_THREAD): kept on the conversation for the customer's next message.
 * If a later message already arrived (events out of order), it attributes the conversation directly instead.
 */
async function keepReferral(deps: IngestDeps, channel: IngestChannel, r: ReferralOnly): Promise<void> {
  const { conversations } = storesOf(deps);
  const contact = await resolveCustomer(deps, { identities: r.identities, seenAt: r.timestamp });
  const replyTo = preferredReplyTo(r.identities);
  const { conversation: conv } = await findOrOpenConversation(channel.id, contact._id, replyTo, conversations);
  if (conv.lastInboundAt && conv.lastInboundAt.getTime() >= r.timestamp.getTime()) {
    if (await attributeIfUnset(conv._id, provisionalAttribution(r.referral, r.timestamp), conversations))
      await publishConversation(deps, conv._id);
    return;
  }
  const pending: PendingReferral = { ...r.referral, at: r.timestamp.toISOString() };
  await conversations.keepPendingReferral(conv._id, pending);
}
