// Masking and data-subject requests over the real server: the masked contact view, reveal only with
// contacts:reveal and a reason (audited, never the number in the trail), logins/role changes on the audit trail,
// the audit API (filters, verify, tamper found), export of everything, erasure with a suppression record and a
// clean new contact when the customer returns, and the retention sweep.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { ContactModel } from '../../../server/src/models/contact.js';
import { ContactIdentityModel } from '../../../server/src/models/contact-identity.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { SuppressionModel } from '../../../server/src/models/suppression.js';
import { WebhookEventModel } from '../../../server/src/models/webhook-event.js';
import { isSuppressed } from '../../../server/src/policy/suppression.js';
import { sweepRetention } from '../../../server/src/protection/retention.js';
import { storeMediaFile, openMediaStream } from '../../../server/src/inbox/media.js';
import { channelIds, staff, startWorld, waCustomerWrites, type World } from '../../helpers/world.js';

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w?.close();
});

test('the contact view is masked; reveal needs contacts:reveal and a reason, and is audited without the number', async () => {
  const { contactId } = await waCustomerWrites(w, '34612345601');
  const agent = await staff(w, 'agent', await channelIds(w));
  const sup = await staff(w, 'supervisor');

  const view = await agent.session.get(`/api/contacts/${contactId}`);
  assert.equal(view.status, 200);
  assert.equal(view.body.maskedPhone, '+34 6•• ••• •01');
  assert.ok(!JSON.stringify(view.body).includes('34612345601'));

  const denied = await agent.session.post(`/api/contacts/${contactId}/reveal`, {
    reason: 'customer asked for a callback',
  });
  assert.equal(denied.status, 403);
  assert.ok(!JSON.stringify(denied.body).includes('34612345601'));

  const noReason = await sup.session.post(`/api/contacts/${contactId}/reveal`, {});
  assert.equal(noReason.status, 400);
  assert.match(noReason.body.error.message, /reason/);

  const ok = await sup.session.post(`/api/contacts/${contactId}/reveal`, { reason: 'customer asked for a callback' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.phone, '34612345601');
  assert.ok(ok.body.identities.some((i: { value: string }) => i.value === '34612345601'));

  const entry = await AuditEntryModel.findOne({ action: 'contact.revealed', 'target.id': contactId }).lean();
  assert.ok(entry);
  assert.equal(entry.actor?.id, sup.id);
  assert.equal((entry.details as { reason: string }).reason, 'customer asked for a callback');
  assert.ok(!JSON.stringify(entry).includes('34612345601'));

  // Visible through the audit API to supervisors, not to agents.
  const search = await sup.session.get(`/api/audit?action=contact.revealed&target=${contactId}`);
  assert.equal(search.status, 200);
  assert.equal(search.body.items.length, 1);
  assert.equal((await agent.session.get('/api/audit')).status, 403);
});

test('logins (success and failure), role changes and sends land on the trail; the chain verifies; tampering is found', async () => {
  const u = await staff(w, 'agent');
  const { Session } = await import('../../helpers/http.js');
  const bad = new Session(w.srv.baseUrl);
  assert.equal((await bad.login(u.email, 'wrong-password-here')).status, 401);
  assert.equal((await w.admin.patch(`/api/users/${u.id}`, { role: 'supervisor' })).status, 200);

  const logins = await w.admin.get(`/api/audit?action=auth.login&actor=${encodeURIComponent(u.email)}`);
  const actions = logins.body.items.map((e: { action: string }) => e.action);
  assert.ok(actions.includes('auth.login_failed'));
  const ok = await w.admin.get(`/api/audit?action=auth.login&actor=${u.id}`);
  assert.ok(ok.body.items.some((e: { action: string }) => e.action === 'auth.login'));
  const roles = await w.admin.get(`/api/audit?action=user.updated&target=${u.id}`);
  assert.equal(roles.body.items[0].details.role, 'supervisor');
  assert.ok(!JSON.stringify(logins.body).includes('wrong-password-here'));

  // Paging by cursor and a date filter.
  const page1 = await w.admin.get('/api/audit?limit=2');
  assert.equal(page1.body.items.length, 2);
  const page2 = await w.admin.get(`/api/audit?limit=2&cursor=${page1.body.nextCursor}`);
  assert.ok(page2.body.items[0].seq < page1.body.items[1].seq);
  assert.equal((await w.admin.get('/api/audit?from=2000-01-01&to=2000-01-02')).body.items.length, 0);
  assert.equal((await w.admin.get('/api/audit?from=yesterday')).status, 400);

  // A supervisor may search but not verify.
  const sup = await staff(w, 'supervisor');
  assert.equal((await sup.session.get('/api/audit/verify')).status, 403);

  const v = await w.admin.get('/api/audit/verify');
  assert.equal(v.status, 200);
  assert.equal(v.body.ok, true);
  assert.ok(v.body.entries >= 5);

  // Edit one entry behind the app's back: verify names it.
  const victim = await AuditEntryModel.findOne({ action: 'user.updated', 'target.id': u.id }).lean();
  await AuditEntryModel.collection.updateOne({ _id: victim!._id }, { $set: { 'details.role': 'admin' } });
  const t = await w.admin.get('/api/audit/verify');
  assert.equal(t.body.ok, false);
  assert.equal(t.body.firstBadEntry.seq, victim!.seq);
  await AuditEntryModel.collection.updateOne({ _id: victim!._id }, { $set: { 'details.role': 'supervisor' } });
  assert.equal((await w.admin.get('/api/audit/verify')).body.ok, true);
});

test('export returns everything about the contact (and is audited); agents may not export', async () => {
  const { contactId, conversationId } = await waCustomerWrites(
    w,
    '34612345602',
    'Quiero la chaqueta azul',
    'Marta Export',
  );
  const agent = await staff(w, 'agent', await channelIds(w));
  assert.equal((await agent.session.get(`/api/contacts/${contactId}/export`)).status, 403);
  const r = await w.admin.get(`/api/contacts/${contactId}/export`);
  assert.equal(r.status, 200);
  assert.equal(r.body.contact.phone, '34612345602');
  assert.equal(r.body.contact.displayName, 'Marta Export');
  assert.ok(r.body.identities.some((i: { value: string }) => i.value === '34612345602'));
  assert.equal(r.body.conversations[0].id, conversationId);
  assert.ok(r.body.messages.some((m: { text: string }) => m.text === 'Quiero la chaqueta azul'));
  assert.ok(Array.isArray(r.body.media));
  assert.ok(Array.isArray(r.body.consent));
  assert.ok(Array.isArray(r.body.audit));
  assert.ok(Array.isArray(r.body.leads));
  const audited = await AuditEntryModel.findOne({ action: 'contact.exported', 'target.id': contactId }).lean();
  assert.ok(audited);
  assert.ok(!JSON.stringify(audited).includes('34612345602'));
});

test('erase clears bodies, media, identifiers, names and raw payloads, keeps a suppression record; a returning customer starts clean', async () => {
  const waId = '34612345603';
  const { contactId, conversationId } = await waCustomerWrites(w, waId, 'Mi dirección es Calle Mayor 1', 'Pedro Erase');
  // A stored media file on one of their messages.
  const msg = await MessageModel.findOne({ conversationId }).lean();
  const fileId = await storeMediaFile(Buffer.from('jpegbytes'), {
    filename: 'id.jpg',
    contentType: 'image/jpeg',
    messageId: String(msg!._id),
  });
  await MessageModel.updateOne(
    { _id: msg!._id },
    { $set: { media: { fileId, mimeType: 'image/jpeg', filename: 'id.jpg', size: 9, state: 'stored' } } },
  );
  assert.ok(await WebhookEventModel.exists({ body: { $regex: waId } }));

  const agent = await staff(w, 'agent', await channelIds(w));
  assert.equal((await agent.session.request('DELETE', `/api/contacts/${contactId}`)).status, 403);
  const sup = await staff(w, 'supervisor');
  assert.equal((await sup.session.request('DELETE', `/api/contacts/${contactId}`)).status, 403);
  const r = await w.admin.request('DELETE', `/api/contacts/${contactId}`);
  assert.equal(r.status, 204);

  const c = await ContactModel.findById(contactId).lean();
  assert.ok(c!.erasedAt);
  assert.equal(c!.phone, null);
  assert.equal(c!.displayName, null);
  assert.deepEqual(c!.identities, []);
  assert.equal(await ContactIdentityModel.countDocuments({ contactId }), 0);
  const msgs = await MessageModel.find({ contactId }).lean();
  assert.ok(msgs.length >= 1);
  for (const m of msgs) {
    assert.equal(m.text, null);
    assert.equal(m.media, null);
  }
  assert.equal(await openMediaStream(fileId), null);
  assert.equal(await WebhookEventModel.exists({ body: { $regex: waId } }), null);
  assert.equal(await isSuppressed([{ kind: 'wa_id', value: waId }]), true);
  assert.equal(await isSuppressed([], waId), true);
  assert.equal(await SuppressionModel.exists({ hash: waId }), null); // hashes only
  const conv = await w.admin.get(`/api/conversations/${conversationId}`);
  assert.equal(conv.body.contact.maskedPhone, null);
  assert.equal(conv.body.contact.displayName, null);
  // Never re-contacted: a reply to the old conversation is refused.
  const send = await w.admin.post(`/api/conversations/${conversationId}/messages`, { text: 'Hola de nuevo' });
  assert.equal(send.status, 422);
  assert.equal(send.body.error.code, 'contact_erased');
  // The erasure is audited without identifiers.
  const e = await AuditEntryModel.findOne({ action: 'contact.erased', 'target.id': contactId }).lean();
  assert.ok(e);
  assert.ok(!JSON.stringify(e).includes(waId));
  assert.equal((await w.admin.get('/api/audit/verify')).body.ok, true);

  // They write again: a new, clean contact and conversation.
  const again = await waCustomerWrites(w, waId, 'Hola otra vez', 'Pedro Again');
  assert.notEqual(again.contactId, contactId);
  assert.notEqual(again.conversationId, conversationId);
  const fresh = await ContactModel.findById(again.contactId).lean();
  assert.equal(fresh!.erasedAt, null);
  const history = await w.admin.get(`/api/conversations/${again.conversationId}/messages`);
  assert.deepEqual(
    history.body.items.map((m: { text: string }) => m.text),
    ['Hola otra vez'],
  );
});

test('the retention sweep clears message bodies older than the limit and nothing younger', async () => {
  const { conversationId } = await waCustomerWrites(w, '34612345604', 'old body');
  await waCustomerWrites(w, '34612345604', 'new body');
  const [oldMsg] = await MessageModel.find({ conversationId, text: 'old body' }).lean();
  await MessageModel.collection.updateOne(
    { _id: oldMsg._id },
    { $set: { createdAt: new Date(Date.now() - 40 * 86_400_000) } },
  );
  assert.equal((await sweepRetention({ messageBodyDays: 0 })).messages, 0);
  const r = await sweepRetention({ messageBodyDays: 30 });
  assert.ok(r.messages >= 1);
  assert.equal((await MessageModel.findById(oldMsg._id).lean())!.text, null);
  assert.ok(await MessageModel.exists({ conversationId, text: 'new body' }));
  // Raw payloads past their expiry go too.
  await WebhookEventModel.updateMany({}, { $set: { expireAt: new Date(Date.now() - 1000) } });
  const r2 = await sweepRetention({ messageBodyDays: 30 });
  assert.ok(r2.webhookEvents >= 1);
});
