// The review queue service against in-memory stores (no database): the seam between protection/ and data/.
// Rejecting blocks a held message, records the decision, audits it on a hash chain that verifies, and announces
// the change; approving sends exactly the held request through the sender; a guard refusal blocks it with why;
// abuse reports are listed and resolved through their own store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AbuseReportLean, AbuseReportStore } from '../../../server/src/data/abuse-reports.js';
import type { AuditStore, NewAuditEntry } from '../../../server/src/data/audit.js';
import { newId, type Id } from '../../../server/src/data/ids.js';
import type { MessageLean, ReviewItemLean, ReviewStore } from '../../../server/src/data/review.js';
import { refused } from '../../../server/src/errors.js';
import { EventBus } from '../../../server/src/events/bus.js';
import type { MessageSender } from '../../../server/src/inbox/sender.js';
import { AuditTrail } from '../../../server/src/policy/audit.js';
import { verifyEntries, type ChainEntry } from '../../../server/src/policy/audit-verify.js';
import { ReviewService } from '../../../server/src/protection/review.js';

function memoryAudit(): AuditStore & { entries: NewAuditEntry[] } {
  const entries: NewAuditEntry[] = [];
  return {
    entries,
    async last() {
      const e = entries.at(-1);
      return e ? { seq: e.seq, hash: e.hash } : null;
    },
    async append(e) {
      if (entries.some((x) => x.seq === e.seq)) return 'taken';
      entries.push(structuredClone(e));
      return 'ok';
    },
    async search() {
      return [];
    },
    async aboutContact() {
      return [];
    },
    async *all() {
      yield* entries.map((e, i) => ({ ...e, _id: String(i) }) as never);
    },
  };
}

function memoryReview(messages: MessageLean[], items: ReviewItemLean[] = []): ReviewStore {
  const find = (id: unknown) => messages.find((m) => String(m._id) === String(id)) ?? null;
  return {
    async heldMessages(limit) {
      return messages.filter((m) => m.status === 'held').slice(0, limit);
    },
    async message(id) {
      const m = find(id);
      return m ? { ...m } : null;
    },
    async itemsOf(ids) {
      return items.filter((i) => ids.some((id) => String(id) === String(i.messageId)));
    },
    async itemOf(id) {
      return items.find((i) => String(i.messageId) === String(id)) ?? null;
    },
    async pendingOfIntegration(integrationId) {
      return items.filter((i) => i.sender?.id === integrationId && i.state === 'pending');
    },
    async handles(ids) {
      return new Map(ids.map((id) => [String(id), `Handle ${String(id).slice(-4)}`]));
    },
    async userNames(ids) {
      return new Map(ids.map((id) => [String(id), 'Ana Agent']));
    },
    async hold() {
      throw new Error('not used');
    },
    async block(id, error) {
      const m = find(id);
      if (!m || m.status !== 'held') return null;
      Object.assign(m, { status: 'blocked', statusAt: new Date(), error });
      return { ...m };
    },
    async saveDecision(msg, state, decidedBy, note, refusal) {
      let item = items.find((i) => String(i.messageId) === String(msg._id));
      if (!item) {
        item = {
          _id: newId(),
          messageId: msg._id,
          conversationId: msg.conversationId,
          contactId: msg.contactId,
          sender: { type: 'user', id: msg.authorId ? String(msg.authorId) : 'unknown', name: null },
          request: {},
          reason: { code: 'held_for_review', message: null },
          state: 'pending',
        } as unknown as ReviewItemLean;
        items.push(item);
      }
      Object.assign(item, { state, note, decidedBy, decidedAt: new Date(), ...(refusal ? { reason: refusal } : {}) });
    },
  };
}

function memoryReports(reports: AbuseReportLean[] = []): AbuseReportStore {
  return {
    async file() {
      throw new Error('not used');
    },
    async list(q) {
      return reports.filter((r) => !q.status || r.status === q.status).slice(0, q.limit);
    },
    async resolve(id, by, note) {
      const r = reports.find((x) => String(x._id) === id && x.status === 'open');
      if (!r) return null;
      Object.assign(r, { status: 'resolved', resolvedBy: by, resolvedAt: new Date(), resolutionNote: note });
      return r;
    },
  };
}

function heldMessage(over: Partial<MessageLean> = {}): MessageLean {
  return {
    _id: newId(),
    conversationId: newId(),
    channelId: newId(),
    contactId: newId(),
    authorId: newId(),
    direction: 'out',
    kind: 'text',
    text: 'Our offer ends today',
    status: 'held',
    error: { code: 'held_for_review', reason: 'Held for review' },
    createdAt: new Date('2026-01-02T10:00:00Z'),
    ...over,
  } as MessageLean;
}

const supervisor = { id: newId().toHexString(), name: 'Sam Supervisor' };

function setup(opts: { messages?: MessageLean[]; send?: MessageSender['send']; reports?: AbuseReportLean[] } = {}) {
  const messages = opts.messages ?? [heldMessage()];
  const audit = memoryAudit();
  const bus = new EventBus();
  const events: Array<{ event: string; payload: unknown }> = [];
  bus.subscribe('message.updated', (p) => void events.push({ event: 'message.updated', payload: p }));
  const sends: unknown[][] = [];
  const sender = {
    send:
      opts.send ??
      (async (...args: unknown[]) => {
        sends.push(args);
        const m = messages.find((x) => String(x._id) === (args[3] as { releaseMessageId: string }).releaseMessageId)!;
        m.status = 'sent';
        return {} as never;
      }),
  } as unknown as MessageSender;
  const service = new ReviewService({
    bus,
    sender: () => sender,
    stores: { review: memoryReview(messages), reports: memoryReports(opts.reports) },
    audit: new AuditTrail(audit),
  });
  return { service, messages, audit, events, sends };
}

test('rejecting a held message blocks it, audits the decision on a valid chain and announces the change', async () => {
  const { service, messages, audit, events } = setup();
  const m = messages[0];
  const d = await service.reject(String(m._id), supervisor, 'not approved wording');
  assert.equal(d.item.status, 'rejected');
  assert.equal(m.status, 'blocked');
  assert.deepEqual(m.error, { code: 'review_rejected', reason: 'Rejected in review: not approved wording' });
  assert.deepEqual(
    audit.entries.map((e) => [e.action, e.target.id, e.actor.id]),
    [['review.rejected', String(m._id), supervisor.id]],
  );
  assert.equal(verifyEntries(audit.entries as unknown as ChainEntry[]).ok, true);
  assert.equal(events.length, 1);
  await assert.rejects(service.reject(String(m._id), supervisor), { kind: 'conflict', code: 'not_held' });
});

test('approving sends the held request through the sender as its author, marked as reviewed', async () => {
  const { service, messages, audit, sends } = setup();
  const m = messages[0];
  const d = await service.approve(String(m._id), supervisor, 'fine');
  assert.equal(d.item.status, 'approved');
  assert.equal(sends.length, 1);
  const [conversationId, request, from, opts] = sends[0];
  assert.equal(conversationId, String(m.conversationId));
  assert.deepEqual(request, { text: 'Our offer ends today' });
  assert.deepEqual(from, { type: 'user', id: String(m.authorId), name: 'Ana Agent' });
  assert.deepEqual(opts, { releaseMessageId: String(m._id), review: { approvedBy: supervisor.id } });
  assert.deepEqual(
    audit.entries.map((e) => e.action),
    ['review.approved'],
  );
});

test('a guard refusal on approval blocks the message with why', async () => {
  const { service, messages, audit } = setup({
    send: async () => {
      throw refused('window_closed', 'The reply window is closed.');
    },
  });
  const d = await service.approve(String(messages[0]._id), supervisor);
  assert.deepEqual(d.refused, { code: 'window_closed', message: 'The reply window is closed.' });
  assert.equal(d.item.status, 'refused');
  assert.equal(messages[0].status, 'blocked');
  assert.deepEqual(
    audit.entries.map((e) => e.action),
    ['review.refused'],
  );
});

test('the queue lists held messages and open abuse reports newest first; a report is resolved through its store', async () => {
  const reportId: Id = newId();
  const report = {
    _id: reportId,
    conversationId: newId(),
    channelId: newId(),
    contactId: newId(),
    messageId: newId(),
    language: 'es',
    status: 'open',
    createdAt: new Date('2026-01-03T10:00:00Z'),
  } as AbuseReportLean;
  const { service, audit } = setup({ reports: [report] });
  const items = await service.list();
  assert.deepEqual(
    items.map((i) => i.type),
    ['abuse_report', 'held_message'],
  );
  assert.equal(items[1].sender?.name, 'Ana Agent');
  const d = await service.approve(String(reportId), supervisor, 'spoke to them');
  assert.equal(d.item.status, 'actioned');
  assert.equal(report.status, 'resolved');
  assert.deepEqual(
    audit.entries.map((e) => e.action),
    ['report.resolved'],
  );
  await assert.rejects(service.reject(String(reportId), supervisor), { kind: 'not_found' });
  await assert.rejects(service.approve('nope', supervisor), { kind: 'not_found' });
});
