// The supervisor review queue: held outbound messages (an unapproved integration's sends, guard holds) and abuse
// reports. Approving a held message sends exactly what was asked through MessageSender (so the whole guard runs
// again; a refusal is shown on the item and the message), rejecting keeps it unsent with a note. Every decision
// is audited. Must never send around the sender/guard.
import { Types } from 'mongoose';
import type { ReviewItem } from '../../../shared/src/index.js';
import type { EventBus } from '../events/bus.js';
import { conflict, isDomainError, notFound, unavailable } from '../errors.js';
import { ContactModel } from '../models/contact.js';
import { MessageModel } from '../models/message.js';
import { ReviewItemModel } from '../models/review-item.js';
import { UserModel } from '../models/user.js';
import { publishMessageUpdated } from '../events/publish.js';
import type { MessageSender, Sender } from '../inbox/sender.js';
import { recordAudit, type AuditInput } from '../policy/audit.js';
import { listReports, resolveReport } from './opt-out.js';

const isObjectId = (s: string) => /^[a-f0-9]{24}$/i.test(s);

export interface ReviewDecision {
  item: ReviewItem;
  /** Set when the guard refused the approved send: why. */
  refused?: { code: string; message: string };
}

export class ReviewService {
  constructor(private readonly deps: { bus: EventBus; sender: () => MessageSender | undefined }) {}

  /** Everything waiting for a supervisor, newest first. */
  async list(): Promise<ReviewItem[]> {
    const held = await MessageModel.find({ status: 'held' }).sort({ createdAt: -1 }).limit(200).lean();
    const items = await ReviewItemModel.find({ messageId: { $in: held.map((m) => m._id) } }).lean();
    const byMsg = new Map(items.map((i) => [String(i.messageId), i]));
    const contacts = await ContactModel.find({ _id: { $in: held.map((m) => m.contactId) } })
      .select('handle')
      .lean();
    const handles = new Map(contacts.map((c) => [String(c._id), c.handle]));
    const authors = await UserModel.find({ _id: { $in: held.map((m) => m.authorId).filter(Boolean) } })
      .select('name')
      .lean();
    const names = new Map(authors.map((u) => [String(u._id), u.name as string]));
    const out: ReviewItem[] = held.map((m) => {
      const ri = byMsg.get(String(m._id));
      return {
        id: String(m._id),
        type: 'held_message',
        createdAt: (m.createdAt ?? new Date()).toISOString(),
        conversationId: String(m.conversationId),
        contact: { id: String(m.contactId), handle: handles.get(String(m.contactId)) ?? '' },
        text: m.text ?? null,
        sender: ri
          ? { type: ri.sender!.type, id: ri.sender!.id, name: ri.sender!.name ?? null }
          : m.authorId
            ? { type: 'user', id: String(m.authorId), name: names.get(String(m.authorId)) ?? null }
            : null,
        reason: ri?.reason?.message ?? m.error?.reason ?? null,
        status: 'pending',
      };
    });
    const reports = await listReports({ status: 'open' });
    const rc = await ContactModel.find({ _id: { $in: reports.map((r) => r.contactId) } })
      .select('handle')
      .lean();
    const rh = new Map(rc.map((c) => [String(c._id), c.handle]));
    for (const r of reports) {
      out.push({
        id: r.id,
        type: 'abuse_report',
        createdAt: r.createdAt,
        conversationId: r.conversationId,
        contact: { id: r.contactId, handle: rh.get(r.contactId) ?? '' },
        text: null,
        sender: null,
        reason: `The customer sent a report keyword (${r.language}).`,
        status: 'pending',
      });
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async approve(id: string, by: { id: string; name: string }, note?: string): Promise<ReviewDecision> {
    if (!isObjectId(id)) throw notFound('Review item');
    const msg = await MessageModel.findById(id).lean();
    if (msg) {
      if (msg.status !== 'held') throw conflict('not_held', 'This message is no longer held for review.');
      return this.release(msg._id, by, { note, review: true });
    }
    return this.decideReport(id, by, 'actioned', note);
  }

  async reject(id: string, by: { id: string; name: string }, note?: string): Promise<ReviewDecision> {
    if (!isObjectId(id)) throw notFound('Review item');
    const msg = await MessageModel.findById(id).lean();
    if (!msg) return this.decideReport(id, by, 'dismissed', note);
    if (msg.status !== 'held') throw conflict('not_held', 'This message is no longer held for review.');
    const reason = note ? `Rejected in review: ${note}` : 'Rejected in review';
    const updated = await MessageModel.findOneAndUpdate(
      { _id: msg._id, status: 'held' },
      { $set: { status: 'blocked', statusAt: new Date(), error: { code: 'review_rejected', reason } } },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) throw conflict('not_held', 'This message is no longer held for review.');
    await this.saveDecision(msg, 'rejected', by, note ?? null);
    publishMessageUpdated(this.deps.bus, updated, { kind: 'user', id: by.id });
    await recordAudit({
      actor: { type: 'user', id: by.id, name: by.name },
      action: 'review.rejected',
      target: { type: 'message', id: String(msg._id) },
      details: { conversationId: String(msg.conversationId), contactId: String(msg.contactId), note: note ?? null },
    });
    return { item: { ...(await this.itemFor(updated)), status: 'rejected' } };
  }

  /**
   * Sends a held message through the sender (and so the guard). On a guard refusal the message becomes `blocked`
   * with the reason. Used by approve and by approving an integration.
   */
  async release(
    messageId: Types.ObjectId,
    by: { id: string; name: string } | null,
    opts: { note?: string; review?: boolean } = {},
  ): Promise<ReviewDecision> {
    const sender = this.deps.sender();
    if (!sender) throw unavailable('Sending is not available in this process.');
    const msg = await MessageModel.findById(messageId).lean();
    if (!msg || msg.status !== 'held') throw conflict('not_held', 'This message is no longer held for review.');
    const ri = await ReviewItemModel.findOne({ messageId }).lean();
    const request =
      (ri?.request as { text?: string; template?: unknown } | undefined) ??
      (msg.template ? { template: msg.template } : { text: msg.text ?? '' });
    let from: Sender;
    if (ri) from = { type: ri.sender!.type as 'user' | 'integration', id: ri.sender!.id, name: ri.sender!.name ?? '' };
    else if (msg.authorId) {
      const u = await UserModel.findById(msg.authorId).select('name').lean();
      from = { type: 'user', id: String(msg.authorId), name: (u?.name as string) ?? '' };
    } else throw conflict('unknown_sender', 'This held message has no known sender.');
    const actor: AuditInput['actor'] = by ? { type: 'user', id: by.id, name: by.name } : { type: 'system' };
    try {
      await sender.send(String(msg.conversationId), request as never, from, {
        releaseMessageId: String(msg._id),
        ...(opts.review && by ? { review: { approvedBy: by.id } } : {}),
      });
    } catch (err) {
      if (!isDomainError(err, 'refused')) throw err;
      const refused = { code: err.code, message: err.message };
      const updated = await MessageModel.findOneAndUpdate(
        { _id: msg._id, status: 'held' },
        { $set: { status: 'blocked', statusAt: new Date(), error: { code: err.code, reason: err.message } } },
        { returnDocument: 'after' },
      ).lean();
      await this.saveDecision(msg, 'refused', by, opts.note ?? null, refused);
      if (updated) {
        publishMessageUpdated(
          this.deps.bus,
          updated,
          by ? { kind: 'user', id: by.id } : { kind: 'system', id: 'review' },
        );
      }
      await recordAudit({
        actor,
        action: 'review.refused',
        target: { type: 'message', id: String(msg._id) },
        details: { conversationId: String(msg.conversationId), contactId: String(msg.contactId), code: err.code },
      });
      return { item: { ...(await this.itemFor(updated ?? msg)), status: 'refused', reason: err.message }, refused };
    }
    await this.saveDecision(msg, 'approved', by, opts.note ?? null);
    await recordAudit({
      actor,
      action: 'review.approved',
      target: { type: 'message', id: String(msg._id) },
      details: {
        conversationId: String(msg.conversationId),
        contactId: String(msg.contactId),
        note: opts.note ?? null,
      },
    });
    const after = await MessageModel.findById(msg._id).lean();
    return { item: { ...(await this.itemFor(after ?? msg)), status: 'approved' } };
  }

  private async itemFor(m: {
    _id: unknown;
    conversationId: unknown;
    contactId: unknown;
    text?: string | null;
    createdAt?: Date | null;
    error?: { reason?: string | null } | null;
  }): Promise<ReviewItem> {
    const c = await ContactModel.findById(m.contactId).select('handle').lean();
    const ri = await ReviewItemModel.findOne({ messageId: m._id as Types.ObjectId }).lean();
    return {
      id: String(m._id),
      type: 'held_message',
      createdAt: (m.createdAt ?? new Date()).toISOString(),
      conversationId: String(m.conversationId),
      contact: c ? { id: String(c._id), handle: c.handle } : null,
      text: m.text ?? null,
      sender: ri ? { type: ri.sender!.type, id: ri.sender!.id, name: ri.sender!.name ?? null } : null,
      reason: m.error?.reason ?? ri?.reason?.message ?? null,
      status: ri?.state ?? 'pending',
    };
  }

  private async saveDecision(
    msg: {
      _id: Types.ObjectId;
      conversationId: Types.ObjectId;
      contactId: Types.ObjectId;
      authorId?: Types.ObjectId | null;
    },
    state: 'approved' | 'rejected' | 'refused',
    by: { id: string } | null,
    note: string | null,
    refused?: { code: string; message: string },
  ): Promise<void> {
    await ReviewItemModel.updateOne(
      { messageId: msg._id },
      {
        $set: {
          state,
          note,
          decidedBy: by?.id ?? 'system',
          decidedAt: new Date(),
          ...(refused ? { reason: refused } : {}),
        },
        $setOnInsert: {
          conversationId: msg.conversationId,
          contactId: msg.contactId,
          sender: { type: 'user', id: msg.authorId ? String(msg.authorId) : 'unknown', name: null },
          request: {},
          ...(refused ? {} : { reason: { code: 'held_for_review', message: null } }),
        },
      },
      { upsert: true },
    );
  }

  private async decideReport(
    id: string,
    by: { id: string; name: string },
    status: 'actioned' | 'dismissed',
    note?: string,
  ): Promise<ReviewDecision> {
    const outcome = status === 'actioned' ? 'Actioned' : 'Dismissed';
    const r = await resolveReport(id, by, note ? `${outcome}: ${note}` : outcome);
    if (!r) throw notFound('Open review item');
    return {
      item: {
        id,
        type: 'abuse_report',
        createdAt: r.createdAt,
        conversationId: r.conversationId,
        contact: null,
        text: null,
        sender: null,
        reason: r.resolutionNote,
        status,
      },
    };
  }
}
