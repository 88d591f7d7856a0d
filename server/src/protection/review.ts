// The supervisor review queue: held outbound messages (an unapproved integration's sends, guard holds) and abuse
// reports. Approving a held message sends exactly what was asked through MessageSender (so the whole guard runs
// again; a refusal is shown on the item and the message), rejecting keeps it unsent with a note. Every decision
// is audited. Must never send around the sender/guard.
import type { ReviewItem } from '../../../shared/src/index.js';
import type { EventBus } from '../events/bus.js';
import { conflict, isDomainError, notFound, unavailable } from '../errors.js';
import type { AbuseReportStore } from '../data/abuse-reports.js';
import { isId, type Id } from '../data/ids.js';
import type { MessageLean, ReviewState, ReviewStore } from '../data/review.js';
import { publishMessageUpdated } from '../events/publish.js';
import type { MessageSender, Sender } from '../inbox/sender.js';
import { auditTrail, type AuditInput, type AuditTrail } from '../policy/audit.js';
import { listReports, resolveReport } from './opt-out.js';

export interface ReviewDeps {
  bus: EventBus;
  sender: () => MessageSender | undefined;
  stores: { review: ReviewStore; reports: AbuseReportStore };
  /** The audit trail decisions go to (the process's trail unless given). */
  audit?: AuditTrail;
}

export interface ReviewDecision {
  item: ReviewItem;
  /** Set when the guard refused the approved send: why. */
  refused?: { code: string; message: string };
}

export class ReviewService {
  private readonly store: ReviewStore;
  private readonly audit: AuditTrail;

  constructor(private readonly deps: ReviewDeps) {
    this.store = deps.stores.review;
    this.audit = deps.audit ?? auditTrail;
  }

  /** Everything waiting for a supervisor, newest first. */
  async list(): Promise<ReviewItem[]> {
    const held = await this.store.heldMessages(200);
    const items = await this.store.itemsOf(held.map((m) => m._id));
    const byMsg = new Map(items.map((i) => [String(i.messageId), i]));
    const handles = await this.store.handles(held.map((m) => m.contactId));
    const names = await this.store.userNames(held.map((m) => m.authorId).filter(Boolean));
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
    const reports = await listReports({ status: 'open' }, this.deps.stores.reports);
    const rh = await this.store.handles(reports.map((r) => r.contactId));
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
    if (!isId(id)) throw notFound('Review item');
    const msg = await this.store.message(id);
    if (msg) {
      if (msg.status !== 'held') throw conflict('not_held', 'This message is no longer held for review.');
      return this.release(msg._id, by, { note, review: true });
    }
    return this.decideReport(id, by, 'actioned', note);
  }

  async reject(id: string, by: { id: string; name: string }, note?: string): Promise<ReviewDecision> {
    if (!isId(id)) throw notFound('Review item');
    const msg = await this.store.message(id);
    if (!msg) return this.decideReport(id, by, 'dismissed', note);
    if (msg.status !== 'held') throw conflict('not_held', 'This message is no longer held for review.');
    const reason = note ? `Rejected in review: ${note}` : 'Rejected in review';
    const updated = await this.store.block(msg._id, { code: 'review_rejected', reason });
    if (!updated) throw conflict('not_held', 'This message is no longer held for review.');
    await this.saveDecision(msg, 'rejected', by, note ?? null);
    publishMessageUpdated(this.deps.bus, updated, { kind: 'user', id: by.id });
    await this.audit.record({
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
    messageId: Id,
    by: { id: string; name: string } | null,
    opts: { note?: string; review?: boolean } = {},
  ): Promise<ReviewDecision> {
    const sender = this.deps.sender();
    if (!sender) throw unavailable('Sending is not available in this process.');
    const msg = await this.store.message(messageId);
    if (!msg || msg.status !== 'held') throw conflict('not_held', 'This message is no longer held for review.');
    const ri = await this.store.itemOf(messageId);
    const request =
      (ri?.request as { text?: string; template?: unknown } | undefined) ??
      (msg.template ? { template: msg.template } : { text: msg.text ?? '' });
    let from: Sender;
    if (ri) from = { type: ri.sender!.type as 'user' | 'integration', id: ri.sender!.id, name: ri.sender!.name ?? '' };
    else if (msg.authorId) {
      const names = await this.store.userNames([msg.authorId]);
      from = { type: 'user', id: String(msg.authorId), name: names.get(String(msg.authorId)) ?? '' };
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
      const updated = await this.store.block(msg._id, { code: err.code, reason: err.message });
      await this.saveDecision(msg, 'refused', by, opts.note ?? null, refused);
      if (updated) {
        publishMessageUpdated(
          this.deps.bus,
          updated,
          by ? { kind: 'user', id: by.id } : { kind: 'system', id: 'review' },
        );
      }
      await this.audit.record({
        actor,
        action: 'review.refused',
        target: { type: 'message', id: String(msg._id) },
        details: { conversationId: String(msg.conversationId), contactId: String(msg.contactId), code: err.code },
      });
      return { item: { ...(await this.itemFor(updated ?? msg)), status: 'refused', reason: err.message }, refused };
    }
    await this.saveDecision(msg, 'approved', by, opts.note ?? null);
    await this.audit.record({
      actor,
      action: 'review.approved',
      target: { type: 'message', id: String(msg._id) },
      details: {
        conversationId: String(msg.conversationId),
        contactId: String(msg.contactId),
        note: opts.note ?? null,
      },
    });
    const after = await this.store.message(msg._id);
    return { item: { ...(await this.itemFor(after ?? msg)), status: 'approved' } };
  }

  private async itemFor(m: MessageLean): Promise<ReviewItem> {
    const handles = await this.store.handles([m.contactId]);
    const handle = handles.get(String(m.contactId));
    const ri = await this.store.itemOf(m._id);
    return {
      id: String(m._id),
      type: 'held_message',
      createdAt: (m.createdAt ?? new Date()).toISOString(),
      conversationId: String(m.conversationId),
      contact: handle !== undefined ? { id: String(m.contactId), handle } : null,
      text: m.text ?? null,
      sender: ri ? { type: ri.sender!.type, id: ri.sender!.id, name: ri.sender!.name ?? null } : null,
      reason: m.error?.reason ?? ri?.reason?.message ?? null,
      status: ri?.state ?? 'pending',
    };
  }

  private async saveDecision(
    msg: MessageLean,
    state: ReviewState,
    by: { id: string } | null,
    note: string | null,
    refused?: { code: string; message: string },
  ): Promise<void> {
    await this.store.saveDecision(msg, state, by?.id ?? 'system', note, refused);
  }

  private async decideReport(
    id: string,
    by: { id: string; name: string },
    status: 'actioned' | 'dismissed',
    note?: string,
  ): Promise<ReviewDecision> {
    const outcome = status === 'actioned' ? 'Actioned' : 'Dismissed';
    const r = await resolveReport(id, by, note ? `${outcome}: ${note}` : outcome, this.deps.stores.reports, this.audit);
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
