// Approved senders and the review queue over the real server and the fake Graph API: an integration's token is
// shown once; while unapproved its messages are held (never sent) and listed for supervisors (review:new);
// approving releases them through the guard (a refused one shows why); approved sends go through the same guard
// as agents; review approve/reject; revoked tokens stop working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextEvent } from '../../helpers/http.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { IntegrationModel } from '../../../server/src/models/integration.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { staff, startWorld, waCustomerWrites, waitFor, type World } from '../../helpers/world.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w?.close();
});

const v1 = (token: string | null, body: unknown) =>
  fetch(`${w.srv.baseUrl}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

test('an integration is held until approved, then its messages go out through the guard', async () => {
  const { conversationId } = await waCustomerWrites(w, '34612345701', 'Dónde está mi pedido?');
  const created = await w.admin.post('/api/integrations', { name: 'Carrier tracking' });
  assert.equal(created.status, 201);
  const { id, token } = created.body;
  assert.match(token, /^prly_/);
  const stored = await IntegrationModel.findById(id).lean();
  assert.notEqual(stored!.tokenHash, token);
  const list = await w.admin.get('/api/integrations');
  assert.equal(list.body.items[0].approved, false);
  assert.ok(!JSON.stringify(list.body).includes(token));
  assert.ok(!JSON.stringify(list.body).includes(stored!.tokenHash));

  // Agents and supervisors do not manage integrations.
  const sup = await staff(w, 'supervisor');
  assert.equal((await sup.session.post('/api/integrations', { name: 'x' })).status, 403);

  const noToken = await v1(null, { conversationId, text: 'x' });
  assert.equal(noToken.status, 401); // bearer-only API: no token is 401, never a CSRF answer
  assert.equal((await v1('prly_wrong', { conversationId, text: 'x' })).status, 401);
  const badBody = await v1(token, { conversationId });
  assert.equal(badBody.status, 400);
  assert.match(badBody.body.error.message, /text/);

  const sock = await sup.session.socket();
  const sendsBefore = w.graph.sends().length;
  const reviewEvent = nextEvent<{ item: { id: string } }>(sock, 'review:new');
  const held = await v1(token, { conversationId, text: 'Tu pedido sale hoy' });
  assert.equal(held.status, 202);
  assert.equal(held.body.status, 'held');
  assert.equal((await reviewEvent).item.id, held.body.id);
  const heldBad = await v1(token, { conversationId, text: "We'll refund you if you delete your review" });
  assert.equal(heldBad.status, 202);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(w.graph.sends().length, sendsBefore, 'nothing is sent while unapproved');
  const m = await MessageModel.findById(held.body.id).lean();
  assert.equal(m!.status, 'held');
  assert.equal(m!.outbox, null);

  const queue = await sup.session.get('/api/review');
  assert.equal(queue.status, 200);
  const item = queue.body.items.find((i: { id: string }) => i.id === held.body.id);
  assert.equal(item.type, 'held_message');
  assert.equal(item.sender.type, 'integration');
  assert.equal(item.sender.name, 'Carrier tracking');
  assert.match(item.reason, /not approved/);

  // Approve: the held messages are released through the guard; the review-removal offer is refused and says why.
  const approved = await w.admin.post(`/api/integrations/${id}/approve`);
  assert.equal(approved.status, 200);
  assert.equal(approved.body.integration.approved, true);
  assert.equal(approved.body.released, 1);
  assert.equal(approved.body.refused, 1);
  await waitFor(async () => w.graph.sends().length === sendsBefore + 1, 'the released message to be sent');
  const sent = w.graph.sends().at(-1)!;
  assert.equal(sent.json.text.body, 'Tu pedido sale hoy');
  const refused = await MessageModel.findById(heldBad.body.id).lean();
  assert.equal(refused!.status, 'blocked');
  assert.ok(refused!.error?.reason);
  assert.equal(await MessageModel.countDocuments({ conversationId, status: 'held' }), 0);

  // Approved: sends go straight through the guard (202), refused ones get the guard's 422.
  const direct = await v1(token, { conversationId, text: 'Entregado' });
  assert.equal(direct.status, 202);
  assert.equal(direct.body.status, 'queued');
  await waitFor(async () => w.graph.sends().some((s) => s.json?.text?.body === 'Entregado'), 'the direct send');
  const blocked = await v1(token, { conversationId, text: "We'll refund you if you delete your review" });
  assert.equal(blocked.status, 422);
  assert.equal(blocked.body.error.code, 'content_blocked');
  // By contact id too (the contact's latest conversation).
  const conv = await ConversationModel.findById(conversationId).lean();
  assert.equal((await v1(token, { contactId: String(conv!.contactId), text: 'Gracias' })).status, 202);

  // The window still applies to integrations.
  await ConversationModel.updateOne(
    { _id: conversationId },
    { $set: { lastInboundAt: new Date(Date.now() - 3 * 86_400_000) } },
  );
  const late = await v1(token, { conversationId, text: 'Una encuesta' });
  assert.equal(late.status, 422);
  assert.equal(late.body.error.code, 'window_closed');

  const trail = await AuditEntryModel.find({ 'actor.id': id }).lean();
  const acts = trail.map((e) => e.action);
  assert.ok(acts.includes('message.held'));
  assert.ok(acts.includes('message.sent'));
  assert.ok(await AuditEntryModel.exists({ action: 'integration.approved', 'target.id': id }));
  assert.ok(!JSON.stringify(trail).includes('Tu pedido sale hoy'));

  // Revoked: the token stops working.
  assert.equal((await w.admin.post(`/api/integrations/${id}/revoke`)).status, 200);
  assert.equal((await v1(token, { conversationId, text: 'x' })).status, 401);
  sock.close();
});

test('review queue: a supervisor approves one held message (sent through the guard) and rejects another with a note', async () => {
  const { conversationId } = await waCustomerWrites(w, '34612345702', 'Hola');
  const { token } = (await w.admin.post('/api/integrations', { name: 'Shop bot' })).body;
  const a = await v1(token, { conversationId, text: 'Tu factura está lista' });
  const b = await v1(token, { conversationId, text: 'Oferta especial' });
  const sup = await staff(w, 'supervisor');
  const agent = await staff(w, 'agent');
  assert.equal((await agent.session.get('/api/review')).status, 403);
  assert.equal((await agent.session.post(`/api/review/${a.body.id}/approve`)).status, 403);

  const before = w.graph.sends().length;
  const ok = await sup.session.post(`/api/review/${a.body.id}/approve`, {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.item.status, 'approved');
  await waitFor(async () => w.graph.sends().length === before + 1, 'the approved message to be sent');
  assert.equal((await MessageModel.findById(a.body.id).lean())!.status !== 'held', true);

  const no = await sup.session.post(`/api/review/${b.body.id}/reject`, { note: 'Not allowed to advertise here' });
  assert.equal(no.status, 200);
  assert.equal(no.body.item.status, 'rejected');
  const rejected = await MessageModel.findById(b.body.id).lean();
  assert.equal(rejected!.status, 'blocked');
  assert.match(rejected!.error!.reason!, /Not allowed to advertise here/);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(w.graph.sends().length, before + 1);

  assert.equal((await sup.session.post(`/api/review/${b.body.id}/approve`, {})).status, 409);
  assert.equal((await sup.session.post('/api/review/nope/approve', {})).status, 404);
  const queue = await sup.session.get('/api/review');
  assert.ok(!queue.body.items.some((i: { id: string }) => i.id === a.body.id || i.id === b.body.id));
  assert.ok(await AuditEntryModel.exists({ action: 'review.approved', 'target.id': a.body.id }));
  assert.ok(await AuditEntryModel.exists({ action: 'review.rejected', 'target.id': b.body.id }));
});

test('abuse reports filed by a customer keyword are in the review queue and can be resolved', async () => {
  const { conversationId } = await waCustomerWrites(w, '34612345703', 'DENUNCIAR');
  const sup = await staff(w, 'supervisor');
  const queue = await waitFor(async () => {
    const r = await sup.session.get('/api/review');
    return r.body.items.find(
      (i: { type: string; conversationId: string }) => i.type === 'abuse_report' && i.conversationId === conversationId,
    );
  }, 'the abuse report in the queue');
  assert.ok(queue.contact.handle);
  const done = await sup.session.post(`/api/review/${queue.id}/approve`, { note: 'Spoke to the agent' });
  assert.equal(done.status, 200);
  assert.equal(done.body.item.status, 'actioned');
  const after = await sup.session.get('/api/review');
  assert.ok(!after.body.items.some((i: { id: string }) => i.id === queue.id));
  assert.equal((await sup.session.post(`/api/review/${queue.id}/reject`, {})).status, 404);
});
