// Merge by id over real webhooks: a customer first known only by a business-scoped user id (no wa_id in the
// payload) and the same customer known by phone become one contact when a message carries both — the oldest
// survives, one conversation history, the stricter consent wins, the masked handle shows the username, reveal
// covers every id — concurrent linking webhooks merge once, and a user_id_update moves the customer's new id onto
// the same contact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Session } from '../../helpers/http.js';
import { CHANNEL_ENV, cloudText, cloudValue, postWebhook, samplePayload, settle } from '../../helpers/webhooks.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { ContactModel } from '../../../server/src/models/contact.js';
import { ContactIdentityModel } from '../../../server/src/models/contact-identity.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { consentState, recordConsent } from '../../../server/src/policy/consent.js';

let srv: TestServer;
let admin: Session;
before(async () => {
  srv = await startTestServer({ env: CHANNEL_ENV });
  admin = new Session(srv.baseUrl);
  await admin.login(srv.admin.email, srv.admin.password);
});
after(() => srv.close());

const BSUID = 'ES.7301225599471203';
const PHONE = '34611223344';
const contactOfMessage = async (providerMessageId: string) => {
  const m = await MessageModel.findOne({ providerMessageId }).lean();
  assert.ok(m, `message ${providerMessageId} stored`);
  return String(m.contactId);
};
const post = async (body: string | object) => {
  assert.equal((await postWebhook(srv, 'whatsapp', body)).status, 200);
  await settle(srv);
};

test('BSUID-only customer + phone customer + a message carrying both → one contact, one thread, withdrawn wins', async () => {
  await post(samplePayload('wa-cloud-text-bsuid-username.json'));
  const older = await contactOfMessage('wamid.HBgSRVMuNzMwMTIyNTU5OTQ3MTIwMxUCABIYIDNBQTk0');
  // The customer without a number is shown by a masked username, never by a number.
  const list = await admin.get('/api/conversations');
  const shown = list.body.items.find((c: { contact: { id: string } }) => c.contact.id === older);
  assert.equal(shown.contact.maskedPhone, null);
  assert.equal(shown.contact.maskedUsername, '@ma•••');
  assert.ok(!JSON.stringify(list.body).includes('marta.viaja') && !JSON.stringify(list.body).includes(BSUID));
  await recordConsent({
    contactId: older,
    purpose: 'marketing',
    action: 'withdrawn',
    method: 'keyword',
    actor: { type: 'customer', id: older },
    at: new Date(Date.now() - 60_000),
  });

  await post(cloudText({ id: 'wamid.PHONE1', from: PHONE, name: 'Marta', text: 'hola desde el número' }));
  const younger = await contactOfMessage('wamid.PHONE1');
  assert.notEqual(younger, older, 'two contacts before anything links them');
  // A newer grant on the phone contact: newest-wins alone would let it hide the withdrawal.
  await recordConsent({
    contactId: younger,
    purpose: 'marketing',
    action: 'granted',
    method: 'agent',
    actor: { type: 'system' },
  });

  await post(samplePayload('wa-cloud-text-phone-and-bsuid.json'));
  const linked = await contactOfMessage('wamid.HBgLMzQ2MTEyMjMzNDQVAgASGCAzQUJCMDAx');
  assert.equal(linked, older, 'the oldest contact survives');
  const loser = await ContactModel.findById(younger).lean();
  assert.equal(String(loser!.mergedInto), older);
  assert.equal(loser!.phone, null, 'the merged record keeps no personal data');
  const survivor = await ContactModel.findById(older).lean();
  assert.equal(survivor!.phone, PHONE);
  assert.equal(survivor!.username, 'marta.viaja');
  const rows = await ContactIdentityModel.find({ contactId: survivor!._id }).lean();
  assert.deepEqual(rows.map((r) => `${r.kind}:${r.value}`).sort(), [
    `wa_id:${PHONE}`,
    'wa_parent_user_id:ES.ENT.11815799212886844830',
    `wa_user_id:${BSUID}`,
    'wa_username:marta.viaja',
  ]);
  // One conversation history: every message in one live thread of the survivor.
  const threads = await ConversationModel.find({ contactId: survivor!._id, mergedInto: null }).lean();
  assert.equal(threads.length, 1);
  assert.equal(await MessageModel.countDocuments({ conversationId: threads[0]._id }), 3);
  assert.equal(await MessageModel.countDocuments({ contactId: loser!._id }), 0);
  const folded = await ConversationModel.findOne({ contactId: loser!._id }).lean();
  assert.equal(String(folded!.mergedInto), String(threads[0]._id));
  const visible = (await admin.get('/api/conversations')).body.items.filter(
    (c: { contact: { id: string } }) => c.contact.id === older || c.contact.id === younger,
  );
  assert.equal(visible.length, 1, 'the folded thread is out of the list');
  assert.equal(visible[0].contact.maskedPhone !== null, true);
  // withdrawn (older) beats granted (newer): the survivor is opted out.
  assert.equal((await consentState(older)).marketing, 'withdrawn');
  assert.equal(await AuditEntryModel.countDocuments({ action: 'contact.merged', 'target.id': older }), 1);

  // Reveal covers every id of the merged customer.
  const revealed = await admin.post(`/api/contacts/${older}/reveal`, { reason: 'customer asked which data we hold' });
  assert.equal(revealed.status, 200);
  assert.equal(revealed.body.phone, PHONE);
  assert.deepEqual(revealed.body.identities.map((i: { kind: string }) => i.kind).sort(), [
    'wa_id',
    'wa_parent_user_id',
    'wa_user_id',
    'wa_username',
  ]);
});

test('a user_id_update moves the new business-scoped id onto the same contact; a message from it alone lands there', async () => {
  const survivor = await contactOfMessage('wamid.HBgLMzQ2MTEyMjMzNDQVAgASGCAzQUJCMDAx');
  await post(samplePayload('wa-cloud-user-id-update.json'));
  const row = await ContactIdentityModel.findOne({ kind: 'wa_user_id', value: 'ES.9902817733645510' }).lean();
  assert.equal(String(row!.contactId), survivor);
  await post(
    cloudValue({
      contacts: [{ profile: { name: 'Marta' }, user_id: 'ES.9902817733645510' }],
      messages: [
        {
          from_user_id: 'ES.9902817733645510',
          id: 'wamid.NEWBSUID1',
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: 'nuevo id' },
        },
      ],
    }),
  );
  assert.equal(await contactOfMessage('wamid.NEWBSUID1'), survivor);
});

test('concurrent webhooks linking the same two contacts merge them once', async () => {
  const bsuid = 'PT.5550001112223334';
  const phone = '351912345678';
  const bsuidOnly = cloudValue({
    contacts: [{ profile: { name: 'Rui' }, user_id: bsuid }],
    messages: [
      {
        from_user_id: bsuid,
        id: 'wamid.RUI0',
        timestamp: String(Math.floor(Date.now() / 1000) - 30),
        type: 'text',
        text: { body: 'olá' },
      },
    ],
  });
  await post(bsuidOnly);
  await post(cloudText({ id: 'wamid.RUI1', from: phone, name: 'Rui', text: 'sou eu' }));
  const a = await contactOfMessage('wamid.RUI0');
  const b = await contactOfMessage('wamid.RUI1');
  assert.notEqual(a, b);
  const both = (i: number) =>
    cloudText({ id: `wamid.RUIBOTH${i}`, from: phone, userId: bsuid, name: 'Rui', text: `mensagem ${i}` });
  const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => postWebhook(srv, 'whatsapp', both(i))));
  assert.ok(replies.every((r) => r.status === 200));
  await settle(srv);
  const contacts = new Set(
    await Promise.all(Array.from({ length: 6 }, (_, i) => contactOfMessage(`wamid.RUIBOTH${i}`))),
  );
  assert.deepEqual([...contacts], [a], 'every linked message on the older contact');
  assert.equal(await AuditEntryModel.countDocuments({ action: 'contact.merged', 'target.id': a }), 1);
  assert.equal(await ContactModel.countDocuments({ _id: { $in: [a, b] }, mergedInto: null }), 1);
  assert.equal(await MessageModel.countDocuments({ contactId: b }), 0);
});

test('merges decided at the same moment by several callers: one decision, one audit entry, one survivor', async () => {
  const { mergeContacts } = await import('../../../server/src/inbox/contact-merge.js');
  await post(cloudText({ id: 'wamid.RACE1', from: '34699000001', name: 'Ana', text: 'uno' }));
  await post(cloudText({ id: 'wamid.RACE2', userId: 'ES.4440000000000001', name: 'Ana', text: 'dos' }));
  const a = await contactOfMessage('wamid.RACE1');
  const b = await contactOfMessage('wamid.RACE2');
  const ids = [a, b].map((id) => new ContactModel({ _id: id })._id);
  const deps = { bus: srv.server.bus, logger: srv.server.logger };
  const survivors = await Promise.all(
    Array.from({ length: 5 }, (_, i) => mergeContacts(deps, i % 2 ? ids : [...ids].reverse())),
  );
  assert.deepEqual(new Set(survivors.map(String)), new Set([a]));
  assert.equal(await AuditEntryModel.countDocuments({ action: 'contact.merged', 'target.id': a }), 1);
  assert.equal(String((await ContactModel.findById(b).lean())!.mergedInto), a);
  assert.equal(await MessageModel.countDocuments({ contactId: b }), 0);
});

test('export and erasure of a merged customer cover every id (phone, both BSUIDs, parent id, username)', async () => {
  const id = await contactOfMessage('wamid.HBgLMzQ2MTEyMjMzNDQVAgASGCAzQUJCMDAx');
  const exported = await admin.get(`/api/contacts/${id}/export`);
  assert.equal(exported.status, 200);
  const kinds = (exported.body.identities as Array<{ kind: string }>).map((i) => i.kind).sort();
  assert.deepEqual(kinds, ['wa_id', 'wa_parent_user_id', 'wa_user_id', 'wa_user_id', 'wa_username']);
  const erased = await admin.request('DELETE', `/api/contacts/${id}`);
  assert.equal(erased.status, 204);
  assert.equal(await ContactIdentityModel.countDocuments({ contactId: id }), 0);
  for (const value of [PHONE, BSUID, 'ES.9902817733645510', 'marta.viaja'])
    assert.equal(await ContactIdentityModel.countDocuments({ value }), 0, `${value} forgotten`);
  const c = await ContactModel.findById(id).lean();
  assert.equal(c!.phone, null);
  assert.equal(c!.username, null);
  assert.ok(c!.erasedAt);
  // The merged record held nothing personal to begin with.
  const merged = await ContactModel.find({ mergedInto: c!._id }).lean();
  assert.ok(merged.length >= 1);
  for (const m of merged) assert.deepEqual([m.phone, m.username, m.identities.length], [null, null, 0]);
});

test('a recycled number (the phone now comes with another BSUID) is a new customer: never merged, the phone moves', async () => {
  const phone = '34655000001';
  const oldOwner = 'ES.1110000000000001';
  const newOwner = 'ES.2220000000000002';
  await post(cloudText({ id: 'wamid.REC1', from: phone, userId: oldOwner, name: 'Old owner', text: 'hola' }));
  const a = await contactOfMessage('wamid.REC1');
  await post(
    cloudText({ id: 'wamid.REC2', from: phone, userId: newOwner, name: 'New owner', text: 'hola, soy nuevo' }),
  );
  const b = await contactOfMessage('wamid.REC2');
  assert.notEqual(b, a, 'another WhatsApp account: a new contact');
  assert.equal(String((await ContactIdentityModel.findOne({ kind: 'wa_id', value: phone }).lean())!.contactId), b);
  assert.equal(String((await ContactIdentityModel.findOne({ value: oldOwner }).lean())!.contactId), a);
  assert.equal(await AuditEntryModel.countDocuments({ action: 'contact.merged', 'target.id': { $in: [a, b] } }), 0);
  assert.equal(await MessageModel.countDocuments({ contactId: a }), 1, 'the old owner keeps only their history');
  // The old owner writing again (by their BSUID) still lands on their own contact, and nothing merges.
  const c = cloudValue({
    contacts: [{ profile: { name: 'Old owner' }, user_id: oldOwner }],
    messages: [
      {
        from_user_id: oldOwner,
        id: 'wamid.REC3',
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'text',
        text: { body: 'sigo aquí' },
      },
    ],
  });
  await post(c);
  assert.equal(await contactOfMessage('wamid.REC3'), a);
  assert.equal(await ContactModel.countDocuments({ _id: { $in: [a, b] }, mergedInto: null }), 2);
});
