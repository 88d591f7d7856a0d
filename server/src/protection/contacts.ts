// A contact as the console may see it: visible only through one of its conversations in the user's channels
// (otherwise it does not exist for them: 404), the masked summary, and the audited reveal of its identifiers (and
// of one of its messages' full text). Must never reveal anything that is not on the audit trail first.
import type { ContactSummary, RevealResponse } from '../../../shared/src/index.js';
import type { AuthUser } from '../auth/passport.js';
import { can, seesAllChannels } from '../auth/permissions.js';
import { forbidden, notFound } from '../errors.js';
import { isId } from '../data/ids.js';
import { mongoPrivacyStore, type ChannelScope, type ContactLean, type PrivacyStore } from '../data/privacy.js';
import { toContactSummary } from '../inbox/views.js';
import { recordAudit, userActor } from '../policy/audit.js';
import { consentState } from '../policy/consent.js';

/** The channels whose conversations the user may see. */
export function channelScopeOf(user: AuthUser): ChannelScope {
  if (!can(user, 'conversations:read')) throw forbidden();
  if (seesAllChannels(user)) return { all: true };
  return { all: false, channelIds: user.channelIds.filter(isId) };
}

/**
 * The contact, if the user may see at least one of its conversations (404 otherwise), with that conversation's
 * channel. `forWrite`: the user must also be allowed to reply there (403 otherwise).
 */
export async function visibleContact(
  user: AuthUser,
  id: string,
  opts: { forWrite?: string } = {},
  store: PrivacyStore = mongoPrivacyStore,
): Promise<{ contact: ContactLean; channelId: string }> {
  if (!isId(id)) throw notFound('Contact');
  const contact = await store.contact(id);
  if (!contact) throw notFound('Contact');
  const channelId = await store.visibleChannelOf(contact._id, channelScopeOf(user));
  if (!channelId) throw notFound('Contact');
  if (opts.forWrite && !can(user, 'conversations:reply', { channelId })) throw forbidden(opts.forWrite);
  return { contact, channelId };
}

export async function contactSummary(user: AuthUser, id: string): Promise<ContactSummary> {
  const { contact } = await visibleContact(user, id);
  return toContactSummary(contact, await consentState(String(contact._id)));
}

/** The real identifiers (and one message's full text), audited first with the reason. */
export async function revealContact(
  user: AuthUser,
  id: string,
  input: { reason: string; messageId?: string },
  store: PrivacyStore = mongoPrivacyStore,
): Promise<RevealResponse> {
  const { contact: c } = await visibleContact(user, id, {}, store);
  const { reason, messageId } = input;
  // A message only of this contact, in a conversation this user may see (404 like any other unseen record).
  const msg = messageId ? await store.messageOf(c._id, messageId) : null;
  if (messageId) {
    const visible = msg && (await store.conversationVisible(msg.conversationId, channelScopeOf(user)));
    if (!visible) throw notFound('Message');
  }
  const identities = await store.identities(c._id);
  // Audit first: nothing is revealed unless the reveal is on the trail (the reason, never the number).
  await recordAudit({
    actor: userActor(user),
    action: 'contact.revealed',
    target: { type: 'contact', id: String(c._id) },
    details: { reason, contactId: String(c._id), ...(msg ? { messageId: String(msg._id) } : {}) },
  });
  return {
    phone: c.phone ?? null,
    identities: identities.map((i) => ({ kind: i.kind, value: i.value })),
    ...(msg ? { message: { id: String(msg._id), text: msg.fullText ?? msg.text ?? null } } : {}),
  };
}

/** The contact's conversations (to publish their new consent badges). */
export function conversationsOfContact(contact: ContactLean, store: PrivacyStore = mongoPrivacyStore) {
  return store.conversationsOf(contact._id);
}
