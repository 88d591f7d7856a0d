// The content policy with the conversation's history, over the real server and the fake Graph API: an offer after
// the customer mentioned a review is held for a supervisor; one neutral review invitation per conversation, a
// second (or a request for a positive one) refused; automatic replies in the customer's language (a Brazilian who
// writes DENUNCIAR gets Portuguese); the tracked-link landing page in the visitor's language, its consent text
// recorded word for word with the language; a dead link's page in the visitor's language.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../../helpers/server.js';
import { staff, startWorld, waCustomerWrites, waitFor, type World } from '../../helpers/world.js';
import type { Session } from '../../helpers/http.js';
import type { FakeGraphServer } from '../../fakes/graph-server.js';
import { MessageModel } from '../../../server/src/models/message.js';
import { ChannelModel } from '../../../server/src/models/channel.js';
import { AuditEntryModel } from '../../../server/src/models/audit-entry.js';
import { ConsentEventModel } from '../../../server/src/models/consent-event.js';
import { LinkClickModel } from '../../../server/src/models/link-click.js';
import { OPT_OUT_CONFIRMATION, REPORT_CONFIRMATION } from '../../../server/src/policy/keywords.js';
import { LANDING_TEXTS } from '../../../server/src/attribution/landing-texts.js';

let world: World;
let srv: TestServer;
let graph: FakeGraphServer;
let admin: Session;
let agent: Session;
let channelId: string;

before(async () => {
  world = await startWorld();
  ({ srv, graph, admin } = world);
  const ch = await ChannelModel.findOne({ kind: 'whatsapp-cloud' }).lean();
  channelId = String(ch!._id);
  agent = (await staff(world, 'agent', [channelId])).session;
});
after(() => world.close());

const says = async (waId: string, text: string) => (await waCustomerWrites(world, waId, text)).conversationId;
const send = (conv: string, text: string) => agent.post(`/api/conversations/${conv}/messages`, { text });
const ruleOf = async (conv: string, action: string) =>
  (
    (await AuditEntryModel.findOne({ action, 'target.id': conv }).sort({ _id: -1 }).lean())?.details as {
      rule?: string;
    }
  )?.rule;

test('an offer after the customer mentioned their review is held for a supervisor, not sent; the same offer elsewhere is sent', async () => {
  const conv = await says('34622000001', 'Me llegó roto, por eso dejé una reseña de 1 estrella');
  const sends = graph.sends().length;
  const r = await send(conv, 'Lo sentimos mucho. Le reembolsamos el pedido hoy mismo.');
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'held_for_review');
  assert.match(r.body.error.message, /mentioned a review/);
  assert.equal((await MessageModel.findById(r.body.error.details.message.id).lean())!.status, 'held');
  assert.equal(await ruleOf(conv, 'message.held'), 'review_context');
  // Without a review in the conversation the same refund is ordinary service.
  const other = await says('34622000002', 'Me llegó roto el pedido');
  assert.equal((await send(other, 'Lo sentimos mucho. Le reembolsamos el pedido hoy mismo.')).status, 201);
  await waitFor(async () => graph.sends().length === sends + 1, 'the ordinary refund message sent');
  // A rule that blocks still blocks, whatever the context.
  const b = await send(conv, 'Le reembolsamos si borra la reseña');
  assert.equal(b.body.error.code, 'content_blocked');
  assert.equal(await ruleOf(conv, 'message.blocked'), 'review_incentive');
});

test('one neutral review invitation per conversation; a second, or one asking for five stars, is refused', async () => {
  const conv = await says('34622000003', 'Thanks, it arrived today');
  const sends = graph.sends().length;
  const first = await send(conv, "Great! If you have a moment, we'd love a review on the product page.");
  assert.equal(first.status, 201, JSON.stringify(first.body));
  await waitFor(async () => graph.sends().length === sends + 1, 'first invitation sent');
  const second = await send(conv, 'Could you leave us a review when you can?');
  assert.equal(second.status, 422);
  assert.equal(second.body.error.code, 'content_blocked');
  assert.match(second.body.error.message, /once per conversation/);
  assert.equal(await ruleOf(conv, 'message.blocked'), 'review_request_limit');

  const conv2 = await says('34622000004', 'Got it, thank you');
  const positive = await send(conv2, 'Please leave us a 5-star review!');
  assert.equal(positive.status, 422);
  assert.equal(positive.body.error.code, 'content_blocked');
  assert.equal(await ruleOf(conv2, 'message.blocked'), 'review_positive');
  // A refused invitation does not count as the conversation's one invitation.
  assert.equal((await send(conv2, 'When you have a moment, we would love to hear your feedback.')).status, 201);
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(graph.sends().length, sends + 2, 'nothing refused reached the customer');
});

test('automatic replies follow the customer: DENUNCIAR from Brazil in Portuguese, from Spain in Spanish, STOP from Germany in German', async () => {
  for (const [waId, text, expected] of [
    ['5511987650001', 'DENUNCIAR', REPORT_CONFIRMATION.pt],
    ['34622000005', 'DENUNCIAR', REPORT_CONFIRMATION.es],
    ['4915123450001', 'STOP', OPT_OUT_CONFIRMATION.de],
  ] as const) {
    const conv = await says(waId, text);
    await waitFor(
      () => MessageModel.findOne({ conversationId: conv, direction: 'out', kind: 'text', text: expected }).lean(),
      `confirmation for ${waId}`,
    );
  }
  // A number from a country outside the six: the customer's own words decide.
  const conv = await says('81312345678', 'Bonjour, je voudrais des informations sur la commande');
  await says('81312345678', 'STOP');
  await waitFor(
    () => MessageModel.findOne({ conversationId: conv, text: OPT_OUT_CONFIRMATION.fr }).lean(),
    'French confirmation',
  );
});

test('the landing page speaks the visitor’s language and records the consent text it showed, with its language', async () => {
  const link = (await admin.post('/api/links', { name: 'Landing pt', channelId, landing: true })).body;
  const land = await fetch(`${srv.baseUrl}/c/${link.slug}`, {
    redirect: 'manual',
    headers: { 'accept-language': 'pt-BR,pt;q=0.9,en;q=0.5' },
  });
  assert.equal(land.status, 200);
  const html = await land.text();
  assert.match(html, /<html lang="pt">/);
  assert.ok(html.includes(LANDING_TEXTS.pt.button), 'Portuguese button');
  assert.ok(!html.includes(LANDING_TEXTS.en.button), 'no English button');
  const code = /name="code" value="([2-9A-Z]+)"/.exec(html)![1];
  const post = await fetch(`${srv.baseUrl}/c/${link.slug}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `code=${code}&marketing=yes&lang=pt`,
  });
  assert.equal(post.status, 303);
  const click = await LinkClickModel.findOne({ code }).lean();
  const optIn = click!.optIn as { version: string; text: string };
  assert.equal(optIn.version, 'landing-optin-v1/pt');
  assert.equal(optIn.text, LANDING_TEXTS.pt.optIn('Parley'));
  // Bad input changes nothing and says what was wrong.
  const bad = await fetch(`${srv.baseUrl}/c/${link.slug}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `code=${code}&marketing=yes&lang=xx`,
  });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /lang/);
  assert.equal(
    ((await LinkClickModel.findOne({ code }).lean())!.optIn as { version: string }).version,
    'landing-optin-v1/pt',
  );
  // A browser asking for none of the six gets the business locale (English here).
  const ja = await fetch(`${srv.baseUrl}/c/${link.slug}`, { headers: { 'accept-language': 'ja' } });
  assert.match(await ja.text(), /<html lang="en">/);
  assert.equal(
    await ConsentEventModel.countDocuments({ 'evidence.clickCode': code }),
    0,
    'consent only once the chat starts',
  );
  // A dead link: a small page in the visitor's language, not a JSON error.
  const dead = await fetch(`${srv.baseUrl}/c/no-such-link`, { headers: { 'accept-language': 'es-AR,es;q=0.9' } });
  assert.equal(dead.status, 404);
  assert.match(dead.headers.get('content-type') ?? '', /text\/html/);
  const deadHtml = await dead.text();
  assert.match(deadHtml, /<html lang="es">/);
  assert.ok(deadHtml.includes(LANDING_TEXTS.es.deadTitle));
  assert.match(dead.headers.get('content-security-policy') ?? '', /default-src 'none'/);
});
