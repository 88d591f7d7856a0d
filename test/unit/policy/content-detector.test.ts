// The stemmed content detector, message by message: the phrasings the old rules missed (French, Italian, German,
// polite requests, offers by email), inflections and typos the stemmer and the one-edit index catch, negation and
// clause limits, anaphora ("…your review. Could you delete it?"), and what the guard's history checks read
// (review mention / invitation / incentive signals). Labels here are the family the message must be refused for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseContent } from '../../../server/src/policy/content/index.js';

const families = (text: string) => analyseContent(text).findings.map((f) => f.family);
const refusedAs = (text: string, family: string) =>
  assert.ok(families(text).includes(family as never), `${family}: ${text} → ${families(text).join(',') || 'nothing'}`);
const allowed = (text: string) => assert.deepEqual(families(text), [], text);

test('the phrasings the first rules let through are refused, in every language', () => {
  refusedAs(
    'Esperamos que pueda reconsiderar la eliminación de comentarios cuando le resulte conveniente',
    'review_change',
  );
  refusedAs('Would you consider updating your review now that the issue is fixed?', 'review_change');
  refusedAs('Nous vous remboursons si vous supprimez votre avis', 'review_incentive');
  refusedAs('¿Nos puede dar su email personal para escribirle fuera de la plataforma?', 'off_platform_contact');
  refusedAs('Ci farebbe piacere se togliesse la recensione', 'review_change');
  refusedAs('Könnten Sie Ihre Bewertung bitte löschen?', 'review_change');
  refusedAs('Pouvez-vous retirer votre commentaire négatif ?', 'review_change');
});

test('inflections, missing accents and small typos still match', () => {
  refusedAs('podria borrar su resena por favor', 'review_change');
  refusedAs('Could you delet your reveiw?', 'review_change');
  refusedAs('voce pode apagar sua avaliacao?', 'review_change');
  refusedAs('Würden Sie die Rezenzion entfernen?', 'review_change');
  refusedAs('La sua recensione? Se potesse cancellarla gliene saremmo grati', 'review_change');
});

test('a review mentioned before and a pronoun after: "your review … delete it"', () => {
  refusedAs('We saw your review. Could you delete it?', 'review_change');
  refusedAs('Vimos su reseña. ¿Podría eliminarla?', 'review_change');
  refusedAs('Vimos sua avaliação. Pode apagá-la?', 'review_change');
});

test('offers for a review, in the same sentence or the next', () => {
  refusedAs('Leave us a review and get 20% off your next order', 'review_incentive');
  refusedAs('Déjenos su opinión. A cambio le enviamos un regalo', 'review_incentive');
  refusedAs('Für jede positive Bewertung gibt es einen Gutschein', 'review_incentive');
  refusedAs('Come ringraziamento per la sua recensione, ecco un buono sconto', 'review_incentive');
});

test('pressure, threats and contact outside the conversation', () => {
  refusedAs('We will keep calling you until you remove that review', 'pressure');
  refusedAs('Si no retira su comentario tomaremos acciones legales', 'pressure');
  refusedAs('Me chama no zap 11 98765-4321', 'off_platform_contact');
  refusedAs('Adden Sie mich auf Instagram @laden.jonas', 'off_platform_contact');
  refusedAs('Écrivez-moi à lea.ventes@gmail.com', 'off_platform_contact');
});

test('ordinary service messages, negations and thanks are never refused', () => {
  for (const text of [
    'We will never ask you to change your review',
    'Wir würden Sie nie bitten, Ihre Bewertung zu ändern',
    'Nunca le pediríamos que cambie su reseña',
    'We reviewed your case and approved the refund',
    'We will review your request and get back to you',
    "What's your order number?",
    '¿Cuál es su número de pedido?',
    'Wie lautet Ihre Bestellnummer?',
    'Thanks for your review! Your refund has been processed.',
    'Gracias por su comentario, lo pasamos al equipo',
    'Your comment helped us improve the packaging, thank you',
    'Vous pouvez modifier votre commande jusqu’à 18 h',
    'Use code SPRING15 for 15% off everything',
    "We'll keep you updated until it's delivered",
    'We regret the inconvenience and have refunded the difference',
    'Haben Sie sonst noch Fragen?',
    'À mon avis, la taille M vous ira mieux',
    'La garantía legal es de 3 años',
    '',
  ])
    allowed(text);
});

test('signals the guard reads with the conversation history', () => {
  const mention = analyseContent('I left a 1-star review because it arrived broken').signals;
  assert.equal(mention.reviewMention, true);
  assert.equal(mention.incentive, false);
  const invite = analyseContent("If you have a moment, we'd love a review on the product page").signals;
  assert.deepEqual(
    [invite.reviewInvite, analyseContent("If you have a moment, we'd love a review").findings.length],
    [true, 0],
  );
  assert.equal(analyseContent('Le reembolsamos el pedido hoy').signals.incentive, true);
  assert.equal(
    analyseContent('Thanks for leaving a review!').signals.reviewInvite,
    false,
    'thanks for one already left',
  );
  assert.equal(analyseContent('Bonjour, je voudrais des informations').lang, 'fr');
  assert.equal(analyseContent('Oi, tudo bem? Quero saber do pedido').lang, 'pt');
});

test('long input is analysed within a bound and never throws', () => {
  const long = 'Please remove your review. '.repeat(2000);
  assert.ok(families(long).includes('review_change'));
  assert.doesNotThrow(() => analyseContent('\u0000\u202e🙂🙂🙂 ,,,, ---- @@@ ....'));
});
