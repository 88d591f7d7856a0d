// Numbers in system lines and shared contact cards: a user_changed_number notice and a contact card arrive by the
// real webhook; an agent finds neither number in the messages API, the conversation list (preview, search) or any
// socket payload, and cannot confirm a number by searching for it. The full text comes only from reveal
// (contacts:reveal, a reason, audited without the number), and only for a message of that contact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudValue, postWebhook, settle } from '../../helpers/webhooks.js';
import { channelIds, staff, startWorld, waCustomerWrites, waitFor, type World } from '../../helpers/world.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ConversationModel } from '../../../server/src/models/conversation.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';

const OLD = '34612345601';
const NEW = '34612345699';
const THIRD = '34699111222';
const NEEDLES = [OLD, NEW, THIRD, '612345601', '612345699', '699111222', '699 111 222', '612 345 699'];
const SYSTEM_BODY = `Ana changed from +${OLD} to +${NEW}`;

let w: World;
before(async () => {
  w = await startWorld();
});
after(async () => {
  await w?.close();
});

const ts = () => String(Math.floor(Date.now() / 1000));
const changedNumber = (id: string) =>
  cloudValue({
    contacts: [{ profile: { name: 'Ana' }, wa_id: OLD }],
    messages: [
      {
        from: OLD,
        id,
        timestamp: ts(),
        type: 'system',
        system: { body: SYSTEM_BODY, wa_id: NEW, type: 'user_changed_number' },
      },
    ],
  });
const contactCard = (id: string) =>
  cloudValue({
    contacts: [{ profile: { name: 'Ana' }, wa_id: NEW }],
    messages: [
      {
        from: NEW,
        id,
        timestamp: ts(),
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: 'Eva Third', first_name: 'Eva' },
            phones: [{ phone: '+34 699 111 222', type: 'CELL', wa_id: THIRD }],
          },
        ],
      },
    ],
  });

function assertNoNeedle(what: string, value: unknown) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const n of NEEDLES) assert.ok(!text.includes(n), `${what} contains ${n}: ${text.slice(0, 400)}`);
}

test('changed-number notices and contact cards are masked everywhere an agent looks; reveal gives the text', async () => {
  const ids = await channelIds(w);
  const agent = await staff(w, 'agent', ids);
  const sup = await staff(w, 'supervisor');
  const sock = await agent.session.socket();
  const events: Array<{ event: string; args: unknown[] }> = [];
  sock.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));
  await new Promise((r) => setTimeout(r, 50));

  const { conversationId, contactId } = await waCustomerWrites(w, OLD, 'Hola');
  assert.equal((await postWebhook(w.srv, 'whatsapp', changedNumber('wamid.CHNUM1'))).status, 200);
  assert.equal((await postWebhook(w.srv, 'whatsapp', contactCard('wamid.CARD1'))).status, 200);
  await settle(w.srv);
  const sys = await waitFor(() => MessageModel.findOne({ providerMessageId: 'wamid.CHNUM1' }).lean(), 'system');
  const card = await waitFor(() => MessageModel.findOne({ providerMessageId: 'wamid.CARD1' }).lean(), 'card');
  assert.equal(String(sys.conversationId), conversationId, 'the notice lands in the same conversation');
  assert.equal(String(card.conversationId), conversationId);
  await waitFor(async () => events.filter((e) => e.event === 'message:new').length >= 3 && true, 'socket events');

  // Stored: the text masked, the original only in the unselected field; the preview and search text masked.
  assertNoNeedle('stored system text', sys.text);
  assertNoNeedle('stored card text', card.text);
  assert.equal(sys.text, 'Ana changed from +34 6•• ••• •01 to +34 6•• ••• •99');
  assert.equal(card.text, '👤 Eva Third (+34 6•• ••• •22)');
  const full = await MessageModel.findById(sys._id).select('+fullText').lean();
  assert.equal(full?.fullText, SYSTEM_BODY);
  const conv = (await ConversationModel.findById(conversationId).lean())!;
  assert.equal(conv.lastMessagePreview, '👤 Eva Third (+34 6•• ••• •22)');
  assertNoNeedle('preview', conv.lastMessagePreview);
  assertNoNeedle('search text', conv.searchText);

  // The agent's views: messages, the conversation, the list (and its search).
  const msgs = await agent.session.get(`/api/conversations/${conversationId}/messages`);
  assert.equal(msgs.status, 200);
  assertNoNeedle('messages API', msgs.body);
  const texts = (msgs.body.items ?? msgs.body).map((m: { text: string }) => m.text);
  assert.ok(texts.includes('Ana changed from +34 6•• ••• •01 to +34 6•• ••• •99'), JSON.stringify(texts));
  assert.ok(texts.includes('👤 Eva Third (+34 6•• ••• •22)'));
  for (const path of [`/api/conversations/${conversationId}`, '/api/conversations', `/api/contacts/${contactId}`])
    assertNoNeedle(path, (await agent.session.get(path)).body);
  for (const q of [THIRD, '699111222', '699 111 222', '+34 699', NEW, '612345699']) {
    const found = await agent.session.get(`/api/conversations?q=${encodeURIComponent(q)}`);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.items, [], `searching ${q} confirms nothing`);
  }
  // The masked form itself is what search matches (the agent may look up what it sees).
  const masked = await agent.session.get(`/api/conversations?q=${encodeURIComponent('Eva Third')}`);
  assert.deepEqual(
    masked.body.items.map((c: { id: string }) => c.id),
    [conversationId],
  );

  // Socket payloads (message:new, conversation:updated, …).
  assertNoNeedle('socket events', events);
  const socketTexts = events
    .filter((e) => e.event === 'message:new')
    .map((e) => (e.args[0] as { message: { text: string } }).message.text);
  assert.ok(socketTexts.includes('👤 Eva Third (+34 6•• ••• •22)'), JSON.stringify(socketTexts));
  sock.disconnect();

  // Reveal: not for agents; with contacts:reveal and a reason, the full text of that message, audited.
  const denied = await agent.session.post(`/api/contacts/${contactId}/reveal`, {
    reason: 'want to see it',
    messageId: String(sys._id),
  });
  assert.equal(denied.status, 403);
  assertNoNeedle('denied reveal', denied.body);
  const revealed = await sup.session.post(`/api/contacts/${contactId}/reveal`, {
    reason: 'customer changed their number, updating our CRM',
    messageId: String(sys._id),
  });
  assert.equal(revealed.status, 200, JSON.stringify(revealed.body));
  assert.deepEqual(revealed.body.message, { id: String(sys._id), text: SYSTEM_BODY });
  const cardRevealed = await sup.session.post(`/api/contacts/${contactId}/reveal`, {
    reason: 'need the shared contact number',
    messageId: String(card._id),
  });
  assert.equal(cardRevealed.body.message.text, '👤 Eva Third (+34 699 111 222)');
  const entry = await AuditEntryModel.findOne({
    action: 'contact.revealed',
    'target.id': contactId,
    'details.messageId': String(sys._id),
  }).lean();
  assert.ok(entry, 'the message reveal is on the audit trail');
  assertNoNeedle('audit entry', entry);
  // The supervisor's ordinary views stay masked too (only reveal unmasks).
  assertNoNeedle(
    'supervisor messages API',
    (await sup.session.get(`/api/conversations/${conversationId}/messages`)).body,
  );
});

test("reveal of a message that is not that contact's is 404 and reveals nothing", async () => {
  const sup = await staff(w, 'supervisor');
  const a = await waCustomerWrites(w, '34600000501', 'one');
  const b = await waCustomerWrites(w, '34600000502', 'two');
  const bMsg = (await MessageModel.findOne({ contactId: b.contactId }).lean())!;
  const before = await AuditEntryModel.countDocuments({ action: 'contact.revealed' });
  const r = await sup.session.post(`/api/contacts/${a.contactId}/reveal`, {
    reason: 'cross-contact attempt',
    messageId: String(bMsg._id),
  });
  assert.equal(r.status, 404);
  assert.ok(!JSON.stringify(r.body).includes('two'));
  assert.ok(!JSON.stringify(r.body).includes('34600000501'));
  assert.equal(await AuditEntryModel.countDocuments({ action: 'contact.revealed' }), before, 'nothing revealed');
  const bad = await sup.session.post(`/api/contacts/${a.contactId}/reveal`, { reason: 'bad id here', messageId: 'x' });
  assert.equal(bad.status, 400);
});
