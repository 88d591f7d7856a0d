// The rule families of the content policy over tagged sentences: asking to change or remove a review, offering
// something for a review, asking for a positive review, pressure and threats, and moving the customer to personal
// contact channels. Negation ("we would never ask you to…") and clause marks (commas, "and", a new subject) limit
// what a verb reaches. Pure functions; must never log or keep the text.
import type { Tagged } from './tagger.js';
import type { ContentFinding, Family, Lang, Tag } from './types.js';

const FOLLOWERS = new Set([
  'please',
  'pls',
  'bitte',
  'favor',
  'porfa',
  'porfavor',
  'svp',
  'now',
  'today',
  'ahora',
  'agora',
  'hoy',
  'hoje',
  'maintenant',
  'subito',
  'jetzt',
  'gente',
]);
/** "te la cambiamos", "on la remplace": the business doing it (we-form), not asking the customer to. */
const WE_FORM = /(?:amos|emos|imos|ons|iamo)$/;

type S = Tagged[];
const has = (s: S, i: number, tag: Tag) => s[i]?.tags.has(tag) ?? false;
const any = (s: S, tag: Tag) => s.some((t) => t.tags.has(tag));

/** A negation shortly before position i in its clause, unless it is "don't forget"/"no dude" or inside an "if";
 *  or a negated verb of asking that governs it ("we would never ask you to…", "nie bitten, Ihre Bewertung zu…"). */
export function negated(s: S, i: number): boolean {
  const negBefore = (at: number): boolean => {
    for (let k = at - 1; k >= Math.max(0, at - 4); k--) {
      const t = s[k]!;
      if (t.comma) return false;
      if (t.tags.has('neg') && !t.tags.has('negExcept') && !has(s, k + 1, 'negExcept')) {
        for (let j = k - 1; j >= Math.max(0, k - 3); j--) if (has(s, j, 'cond') || has(s, j, 'until')) return false;
        return true;
      }
    }
    return false;
  };
  if (negBefore(i)) return true;
  for (let k = i - 1; k >= Math.max(0, i - 10); k--) if (s[k]!.tags.has('ask') && negBefore(k)) return true;
  return false;
}

/** Position of a review noun that verb i acts on in this sentence, or -1. */
function objectOf(s: S, i: number, window = 5): number {
  for (let j = i + 1; j <= i + window && j < s.length; j++) {
    const t = s[j]!;
    if (t.tags.has('review')) return j;
    if (t.comma || (t.tags.has('barrier') && !t.tags.has('for')) || t.tags.has('we') || t.tags.has('cond')) break;
  }
  return -1;
}

/** A review noun just before verb i: German puts the verb last ("Ihre Bewertung löschen"); elsewhere only a
 *  passive does ("could the review be removed", "la reseña puede ser eliminada"). */
function objectBefore(s: S, i: number, verbLast: boolean): boolean {
  let passive = verbLast;
  for (let j = i - 1; j >= Math.max(0, i - 5); j--) {
    const t = s[j]!;
    if (t.tags.has('passive')) passive = true;
    if (t.tags.has('review')) return passive;
    if (t.comma || t.tags.has('barrier') || t.tags.has('we')) return false;
  }
  return false;
}

/** Verb i takes an object pronoun ("remove it", "la puede borrar", "eliminarla"). */
function pronounObject(s: S, i: number): boolean {
  if (WE_FORM.test(s[i]!.bare)) return false;
  if (s[i]!.clitic) return true;
  if (has(s, i - 1, 'pronoun') || (has(s, i - 2, 'pronoun') && !s[i - 1]!.comma)) return true;
  if (has(s, i + 1, 'pronoun')) {
    let n = i + 2;
    while (s[n]?.consumed) n++; // "take it down": the rest of the phrase
    const next = s[n];
    return (
      !next ||
      !!next.comma ||
      next.tags.has('barrier') ||
      next.tags.has('cond') ||
      next.tags.has('for') ||
      FOLLOWERS.has(next.bare)
    );
  }
  return false;
}

export interface SentenceFacts {
  change: boolean;
  invite: boolean;
  positive: boolean;
  incentive: boolean;
  reward: boolean;
  review: boolean;
}

/** What one sentence does, given whether a review was mentioned before it in the message. */
export function sentenceFacts(s: S, reviewBefore: boolean, verbLast = false): SentenceFacts {
  const f: SentenceFacts = {
    change: false,
    invite: false,
    positive: false,
    incentive: false,
    reward: false,
    review: any(s, 'review') || any(s, 'reviewVerb'),
  };
  let reviewSoFar = reviewBefore;
  for (let i = 0; i < s.length; i++) {
    const t = s[i]!;
    if (t.tags.has('review')) reviewSoFar = true;
    // "retiramos la tasa", "nous modifions": the business's own action (we-form) is not asking the customer.
    if (t.tags.has('change') && !negated(s, i) && !WE_FORM.test(t.bare)) {
      if (objectOf(s, i, 6) >= 0 || objectBefore(s, i, verbLast) || (reviewSoFar && pronounObject(s, i)))
        f.change = true;
    }
    const inviting = (t.tags.has('invite') && objectOf(s, i, 6) >= 0) || t.tags.has('reviewVerb');
    if (inviting && !negated(s, i) && !thankedFor(s, i)) {
      f.invite = true;
      for (let k = i + 1; k <= i + 7 && k < s.length; k++) if (s[k]!.tags.has('positive')) f.positive = true;
      for (let k = Math.max(0, i - 3); k < i; k++)
        if (s[k]!.tags.has('positive') && has(s, k + 1, 'review')) f.positive = true;
    }
    if (t.tags.has('invite') && !negated(s, i) && !thankedFor(s, i)) {
      // "give us 5 stars", "déjenos cinco estrellas": the stars are the review.
      for (let k = i + 1; k <= i + 4 && k < s.length; k++)
        if (s[k]!.tags.has('positive') && /^(5|five|cinco|cinq|cinque|funf|10)$/.test(s[k]!.bare)) {
          f.invite = true;
          f.positive = true;
        }
    }
    if (t.tags.has('incentive') && !negated(s, i)) {
      f.incentive = true;
      if (t.tags.has('reward')) f.reward = true;
    }
  }
  // Review gating: "if you liked it, leave us a review" (only when the happiness is a condition).
  const gated = s.some((t, i) => {
    if (!t.tags.has('happy') || t.tags.has('invite')) return false;
    for (let k = i; k >= Math.max(0, i - 4); k--) {
      if (k < i && s[k]!.comma) return false;
      if (s[k]!.tags.has('cond')) return true;
    }
    return false;
  });
  if (gated && (f.invite || f.change)) f.positive = true;
  // Paying for good reviews: "a gift for every positive review", "por cada valoración positiva".
  const goodReview = s.some((t, i) => t.tags.has('positive') && (has(s, i - 1, 'review') || has(s, i + 1, 'review')));
  if (f.incentive && goodReview) f.positive = true;
  return f;
}

/** "Thank you for leaving a review", "gracias por dejar su opinión": thanks for a review already given. */
function thankedFor(s: S, i: number): boolean {
  for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
    if (s[k]!.tags.has('cond') || s[k]!.comma) return false;
    if (s[k]!.tags.has('thanks')) return true;
  }
  return false;
}

/** "for your review", "por su reseña", "pour votre avis": something given for the review itself. */
function forTheReview(s: S): { any: boolean; thanked: boolean } {
  let found = false;
  let thanked = false;
  for (let i = 0; i < s.length; i++) {
    if (!s[i]!.tags.has('for') && !s[i]!.tags.has('exchange')) continue;
    for (let j = i + 1; j <= i + 4 && j < s.length; j++) {
      if (s[j]!.comma) break;
      if (s[j]!.tags.has('review')) {
        found = true;
        if (thankedFor(s, i + 1) || has(s, i - 1, 'thanks')) thanked = true;
      }
    }
  }
  return { any: found, thanked };
}

const APPS = new Set([
  'whatsapp',
  'whats',
  'zap',
  'wpp',
  'telegram',
  'instagram',
  'insta',
  'signal',
  'wechat',
  'snapchat',
  'skype',
  'facebook',
  'messenger',
  'tiktok',
  'line',
  'viber',
]);

function offPlatform(s: S): boolean {
  const contacts: number[] = [];
  // "pay me outside the platform", "me paga por fora": money moved off the platform.
  const outside = s.findIndex((t, k) => t.tags.has('offPlatform') && !negated(s, k));
  if (outside >= 0 && s.some((t) => t.tags.has('move'))) return true;
  // "add me on Instagram @shop", "hablemos por Telegram": another app plus a handle, or a verb of moving there.
  for (let i = 0; i < s.length; i++) {
    // Portuguese "no zap", "no insta" is "on", not a negation.
    if (!APPS.has(s[i]!.bare) || (negated(s, i) && s[i - 1]?.bare !== 'no')) continue;
    if (s.some((t) => t.handle)) return true;
    for (let k = Math.max(0, i - 4); k < i; k++) if (s[k]!.tags.has('move') || s[k]!.tags.has('offer')) return true;
  }
  for (let i = 0; i < s.length; i++) {
    const t = s[i]!;
    if (t.email || t.phone || t.tags.has('contact')) contacts.push(i);
    else if (t.tags.has('number')) {
      const order = [i - 2, i - 1, i + 1, i + 2, i + 3].some((k) => has(s, k, 'orderWord'));
      const owner = [i - 3, i - 2, i - 1].some((k) => has(s, k, 'your') || has(s, k, 'my'));
      const qualified = [i - 2, i - 1, i + 1, i + 2].some((k) => has(s, k, 'personal') || has(s, k, 'contact'));
      if (!order && (owner || qualified)) contacts.push(i);
    }
  }
  if (!contacts.length) return false;
  const literal = s.some((t) => t.email || t.phone || t.handle);
  for (const c of contacts) {
    if (negated(s, c)) continue;
    const near = (tag: Tag, before: number, after: number) => {
      for (let k = Math.max(0, c - before); k <= Math.min(s.length - 1, c + after); k++)
        if (k !== c && s[k]!.tags.has(tag) && !negated(s, k)) return true;
      return false;
    };
    if (
      near('personal', 3, 3) ||
      (any(s, 'offPlatform') && !s.some((t, k) => t.tags.has('offPlatform') && negated(s, k)))
    )
      return true;
    const asked = s.slice(0, c).some((t, k) => (t.tags.has('request') || t.tags.has('offer')) && !negated(s, k));
    if (asked && (near('your', 3, 0) || near('my', 3, 0) || literal || s[c]!.email || s[c]!.phone)) return true;
    if (near('my', 2, 0) && literal) return true; // "my WhatsApp is +34 612…"
  }
  return false;
}

/** "you can …", "puedes …", "Sie können …" just before i: a permission given to the customer. */
function permitted(s: S, i: number): boolean {
  for (let k = Math.max(0, i - 3); k <= i; k++) if (s[k]!.tags.has('permission')) return true;
  return false;
}

function pressure(s: S): boolean {
  for (let i = 0; i < s.length; i++) {
    const t = s[i]!;
    if (t.tags.has('threat') && !negated(s, i)) return true;
    // "you can keep writing to us" is the customer's freedom, not our pressure.
    if (t.tags.has('persist') && !permitted(s, i)) {
      for (let k = Math.max(0, i - 4); k <= i + 4 && k < s.length; k++) if (s[k]!.tags.has('contactVerb')) return true;
    }
    if (t.tags.has('contactVerb') && !permitted(s, i) && s.slice(i + 1).some((x) => x.tags.has('until'))) return true;
  }
  return false;
}

/** Every rule a message breaks, sentence by sentence, plus the message-level links between sentences. */
export function findFamilies(sentences: S[], lang: Lang): { findings: ContentFinding[]; facts: SentenceFacts[] } {
  const findings: ContentFinding[] = [];
  const facts: SentenceFacts[] = [];
  const found = (family: Family, sentence: number) => {
    if (!findings.some((f) => f.family === family)) findings.push({ family, sentence });
  };
  let reviewBefore = false;
  sentences.forEach((s, n) => {
    const f = sentenceFacts(s, reviewBefore, lang === 'de');
    facts.push(f);
    reviewBefore ||= f.review;
    const forReview = forTheReview(s);
    const exchange = any(s, 'exchange') && (f.review || reviewBefore);
    if (
      f.incentive &&
      (f.change || f.invite || f.positive || exchange || (forReview.any && (!forReview.thanked || f.reward)))
    )
      found('review_incentive', n);
    else if (exchange && (f.change || f.invite)) found('review_incentive', n);
    if (f.change) found('review_change', n);
    if (f.positive) found('review_positive', n);
    if (pressure(s)) found('pressure', n);
    if (any(s, 'ultimatum') && (reviewBefore || f.change)) found('pressure', n);
    if (offPlatform(s)) found('off_platform_contact', n);
  });
  // Across sentences: a review request in one and a gift, or a conditional offer, in another.
  const asks = facts.findIndex((f) => f.change || f.invite || f.positive);
  if (asks >= 0) {
    const gives = sentences.findIndex(
      (s, n) => n !== asks && facts[n]!.incentive && (facts[n]!.reward || any(s, 'exchange') || any(s, 'cond')),
    );
    if (gives >= 0) found('review_incentive', gives);
  }
  return { findings, facts };
}
