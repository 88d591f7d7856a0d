// inbox/sender: the only way a message leaves Parley. Checks the guard chain, stores the message `queued` with
// its outbox entry, updates the conversation and publishes; the outbox worker does the provider call. Private
// notes never leave (no guard, no outbox). Must never call a provider directly or skip runGuard.
import type { Message, PostMessageBody } from '../../../shared/src/index.js';
import type { ChannelAdapter } from '../channels/adapter.js';
import { runGuard } from '../policy/guard/index.js';
import { recordAudit } from '../policy/audit.js';
import { refuseSend } from './refusals.js';
import { resolveSendableTemplate } from '../policy/templates.js';
import type { EventBus } from '../events/bus.js';
import { conflict, notFound, refused } from '../errors.js';
import { toId, type Id } from '../data/ids.js';
import type { ConversationLean } from '../data/conversations.js';
import { storesOf, type InboxStores } from './conversations.js';
import { actorOf, publishMessageCreated, publishMessageUpdated } from '../events/publish.js';
import { toMessageView } from './views.js';

export interface OutboundMediaFile {
  fileId: Id;
  mimeType: string;
  filename: string;
  size: number;
}

export type OutboundRequest =
  PostMessageBody | { media: OutboundMediaFile; kind: 'image' | 'document' | 'video' | 'audio'; caption?: string };

export type Sender =
  | { type: 'user'; id: string; name: string }
  | { type: 'integration'; id: string; name: string }
  | { type: 'system'; id: string; name: string };

export interface SenderDeps {
  bus: EventBus;
  adapterFor(channelId: string): Promise<ChannelAdapter>;
  /** Publishes conversation.updated with the current view. */
  publishConversation(conversationId: string): Promise<void>;
  /** Wakes the outbox worker. */
  kick(): void;
  /** The stores the sender works with (the MongoDB ones unless given). */
  stores?: InboxStores;
}

export interface SendOptions {
  /** Send by turning this held message (status `held`) into the queued send, after a review approval. */
  releaseMessageId?: string;
  /** A supervisor approved this send in the review queue (a content hold does not hold it again). */
  review?: { approvedBy: string };
  /** This send re-sends that message (the one retry after WhatsApp's marketing limit, error 131049). */
  retryOf?: string;
}

const preview = (s: string) => (s.length > 140 ? `${s.slice(0, 139)}…` : s);

export class MessageSender {
  constructor(private readonly deps: SenderDeps) {}

  async send(conversationId: string, req: OutboundRequest, by: Sender, opts: SendOptions = {}): Promise<Message> {
    const { contacts, conversations, messages } = storesOf(this.deps);
    const conv = await conversations.get(conversationId);
    if (!conv) throw notFound('Conversation');
    const author = { id: by.id, name: by.name };
    if ('note' in req) return this.storeNote(conv, req.note, author);

    const contact = await contacts.get(conv.contactId);
    if (!contact) throw notFound('Contact');
    if (contact.erasedAt) throw refused('contact_erased', 'This contact was erased on request and cannot be messaged.');
    const adapter = await this.deps.adapterFor(String(conv.channelId));
    const kind = 'text' in req ? 'text' : 'template' in req ? 'template' : req.kind;
    const text = 'text' in req ? req.text : 'media' in req ? req.caption : undefined;
    // Templates: only known, approved ones (422 otherwise); the category decides the consent check.
    const tpl = 'template' in req ? await resolveSendableTemplate(req.template) : null;
    const decision = await runGuard({
      now: new Date(),
      channel: { id: String(conv.channelId), kind: adapter.kind, capabilities: adapter.capabilities },
      conversation: { id: String(conv._id), lastInboundAt: conv.lastInboundAt ?? null },
      contact: { id: String(contact._id), erasedAt: contact.erasedAt ?? null },
      message: {
        kind,
        text,
        ...('template' in req && tpl
          ? {
              template: {
                name: req.template.name,
                category: tpl.category,
                params: tpl.params,
                providerStatus: tpl.providerStatus,
                providerStatusReason: tpl.providerStatusReason,
              },
            }
          : {}),
      },
      actor: { type: by.type, id: by.id } as Parameters<typeof runGuard>[0]['actor'],
      ...(opts.review ? { review: opts.review } : {}),
    });
    if (!decision.ok) {
      throw await refuseSend({
        bus: this.deps.bus,
        conv,
        kind,
        text: text ?? tpl?.rendered ?? null,
        template: 'template' in req ? req.template : null,
        media: 'media' in req ? { ...req.media, state: 'stored' } : null,
        decision,
        by,
        store: !opts.releaseMessageId,
        messages,
      });
    }
    if ('media' in req && !adapter.capabilities.outboundMedia.includes(req.kind)) {
      throw refused('unsupported_media', `This channel cannot send ${req.kind} files.`);
    }

    const now = new Date();
    const fields = {
      conversationId: conv._id,
      channelId: conv.channelId,
      contactId: conv.contactId,
      direction: 'out',
      kind,
      text: text ?? tpl?.rendered ?? null,
      template: 'template' in req ? req.template : null,
      media: 'media' in req ? { ...req.media, state: 'stored' as const } : null,
      status: 'queued',
      statusAt: now,
      authorId: by.type === 'user' ? toId(by.id) : null,
      ...(opts.retryOf ? { retryOf: toId(opts.retryOf) } : {}),
      outbox: {
        state: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        humanAgentTag: decision.allowance.humanAgentTag ?? false,
      },
    } as const;
    // A released held message (review approved) becomes this send in place; anything else is a new message.
    const msg = opts.releaseMessageId
      ? await messages.releaseHeld(opts.releaseMessageId, { ...fields, error: null })
      : await messages.insert(fields);
    if (!msg) throw conflict('not_held', 'This message is no longer held for review.');
    const shown = msg.text ?? ('media' in req ? `[${req.kind}] ${req.media.filename}` : '');
    await conversations.recordOutbound(conv._id, {
      at: now,
      preview: preview(shown),
      reopenPending: conv.status === 'pending',
    });
    const view = toMessageView(msg, author);
    // A released held message is the same message, updated in place.
    const publish = opts.releaseMessageId ? publishMessageUpdated : publishMessageCreated;
    publish(this.deps.bus, msg, actorOf(by), author);
    await this.deps.publishConversation(String(conv._id));
    // Audit: who sent what kind where — never the customer's text or number.
    await recordAudit({
      actor: { type: by.type, id: by.id, name: by.name },
      action: 'message.sent',
      target: { type: 'conversation', id: String(conv._id) },
      details: { messageId: String(msg._id), kind, contactId: String(conv.contactId) },
    });
    this.deps.kick();
    return view;
  }

  private async storeNote(
    conv: ConversationLean,
    note: string,
    author: { id: string; name: string },
  ): Promise<Message> {
    const msg = await storesOf(this.deps).messages.insert({
      conversationId: conv._id,
      channelId: conv.channelId,
      contactId: conv.contactId,
      direction: 'out',
      kind: 'note',
      text: note,
      status: 'sent',
      statusAt: new Date(),
      authorId: toId(author.id),
    });
    publishMessageCreated(this.deps.bus, msg, { kind: 'user', id: author.id }, author);
    return toMessageView(msg, author);
  }
}
