// Opt-out / report keywords and the content policy rules, in several languages, with negatives that must NOT
// trigger (sentences that merely contain a keyword, normal service messages about reviews, refunds, emails).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStopPayload, matchKeyword } from '../../../server/src/policy/keywords.js';
import { findViolation, parseContentActions } from '../../../server/src/policy/content-rules.js';

test('opt-out keywords match only a message that is the keyword, in es/en/pt/fr/it/de, any case/accents/punctuation', () => {
  const yes: Array<[string, string]> = [
    ['STOP', 'en'],
    ['stop', 'en'],
    ['  Stop! ', 'en'],
    ['Unsubscribe.', 'en'],
    ['🛑 stop 🛑', 'en'],
    ['BAJA', 'es'],
    ['¡Baja!', 'es'],
    ['parar', 'es'],
    ['CANCELAR', 'es'],
    ['darme de baja', 'es'],
    ['No más', 'es'],
    ['SAIR', 'pt'],
    ['Descadastrar', 'pt'],
    ['ARRÊT', 'fr'],
    ['arret', 'fr'],
    ['Arrêt.', 'fr'],
    ['STOPP', 'de'],
    ['Abmelden', 'de'],
    ['BASTA', 'it'],
    ['disiscrivi', 'it'],
  ];
  for (const [text, lang] of yes) {
    const m = matchKeyword(text);
    assert.equal(m?.kind, 'opt_out', text);
    assert.equal(m?.lang, lang, text);
    assert.ok(m?.langs.includes(lang as never), text);
  }
  const no = [
    'Please stop by the shop tomorrow',
    "Don't stop sending me offers!",
    'la baja de precio me interesa',
    'Quiero cancelar mi pedido 123',
    'Vou sair de casa agora',
    'arrêt de bus le plus proche ?',
    'Stopp den Versand nicht',
    'basta così, grazie per l’aiuto',
    'stopwatch',
    'bajas',
    'Hola',
    '',
    'stop stop stop please, what is the price',
  ];
  for (const text of no) assert.equal(matchKeyword(text), null, text);
});

test('report keywords file a report only when the message is the keyword', () => {
  for (const [text, lang] of [
    ['REPORT', 'en'],
    ['Denunciar', 'es'],
    ['denuncia!', 'es'],
    ['SIGNALER', 'fr'],
    ['melden', 'de'],
    ['Segnala', 'it'],
  ]) {
    const m = matchKeyword(text);
    assert.equal(m?.kind, 'report', text);
    assert.equal(m?.lang, lang, text);
  }
  // Words several languages use say so: the reply language is then chosen from the customer (their number…).
  assert.deepEqual(matchKeyword('DENUNCIAR')?.langs, ['es', 'pt']);
  assert.deepEqual(matchKeyword('STOP')?.langs, ['en', 'es', 'pt', 'fr', 'it', 'de']);
  assert.deepEqual(matchKeyword('SAIR')?.langs, ['pt']);
  for (const text of [
    'Can you send me the report?',
    'quiero denunciar un robo en la tienda',
    'Ich möchte mich melden wegen der Lieferung',
  ]) {
    assert.equal(matchKeyword(text), null, text);
  }
});

test('STOP quick-reply payloads', () => {
  for (const p of ['STOP', 'stop', 'Stop promotions', 'STOP_PROMOTIONS', 'unsubscribe', 'BAJA'])
    assert.ok(isStopPayload(p), p);
  for (const p of ['YES', 'interested', 'STOP_SIGN_PRODUCT_42', '', undefined]) assert.ok(!isStopPayload(p), String(p));
});

test('content policy: review change/removal, incentives for reviews, off-platform contact (es/en/pt)', () => {
  const cases: Array<[string, string]> = [
    ["we'll refund you if you delete your review", 'review_incentive'],
    ['We will give you a 20% discount for a 5-star review', 'review_incentive'],
    ["Delete your review and we'll refund you", 'review_incentive'],
    ['Please remove your review', 'review_change'],
    ['Could you change your rating to 5 stars?', 'review_change'],
    ['Te reembolsamos si borras tu reseña', 'review_incentive'],
    ['Te damos un descuento a cambio de una valoración positiva', 'review_incentive'],
    ['¿Puedes eliminar tu comentario negativo?', 'review_change'],
    ['Por favor, quita la reseña', 'review_change'],
    ['Devolvemos o dinheiro se você apagar sua avaliação', 'review_incentive'],
    ['Pode remover a sua avaliação?', 'review_change'],
    ['Ganha um desconto por uma avaliação de 5 estrelas', 'review_incentive'],
    ['Give me your personal email', 'off_platform_contact'],
    ["What's your phone number?", 'off_platform_contact'],
    ['Contact me at my personal email', 'off_platform_contact'],
    ['Dame tu correo personal', 'off_platform_contact'],
    ['¿Cuál es tu número?', 'off_platform_contact'],
    ['Escríbeme a mi whatsapp personal', 'off_platform_contact'],
    ['Me passa seu whatsapp', 'off_platform_contact'],
    ['Qual é o seu telefone?', 'off_platform_contact'],
  ];
  for (const [text, rule] of cases) assert.equal(findViolation(text)?.id, rule, text);
});

test('content policy negatives: ordinary service messages never trigger', () => {
  const negatives = [
    'Thanks for your review!',
    'We will review your refund request',
    "We'll review your case and refund you if eligible",
    'Please check your email for the receipt',
    "What's your order number?",
    'Thanks for your review! Your refund has been processed.',
    'Your order ships tomorrow',
    'Can you send a photo of the product?',
    "We'll send the invoice to your email",
    'Gracias por tu reseña',
    '¿Cuál es tu número de pedido?',
    'Vamos a revisar tu reembolso',
    'Te enviamos la factura a tu correo',
    'Voy a cambiar la dirección de envío',
    'Obrigado pela sua avaliação',
    'Qual é o seu número do pedido?',
    'Enviamos o reembolso para sua conta',
    'Vou alterar o endereço de entrega',
  ];
  for (const text of negatives) assert.equal(findViolation(text), null, text);
});

test('content actions are configurable per rule', () => {
  assert.deepEqual(parseContentActions('review_change=hold'), {
    review_incentive: 'block',
    review_change: 'hold',
    review_positive: 'block',
    pressure: 'block',
    off_platform_contact: 'hold',
  });
  assert.throws(() => parseContentActions('nope=block'));
  assert.throws(() => parseContentActions('review_change=delete'));
});
