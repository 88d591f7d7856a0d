// Shared types of the content detector: the concept tags words carry, the shape of a per-language lexicon and what
// the detector answers. Pure types; must never hold words or logic.

/** The concepts the rules reason over. A token may carry several. */
export type Tag =
  | 'review' // the object: review, rating, opinion, comment, stars…
  | 'reviewVerb' // to rate / to review (a product): "rate us", "valórenos", "bewerten Sie"
  | 'change' // delete, remove, edit, update, reconsider, take down…
  | 'invite' // leave, write, post, share, give (a review)
  | 'incentive' // refund, replacement, reimbursement… and every reward (a `reward` word is an incentive too)
  | 'reward' // money, gifts, coupons, discounts, free shipping: an incentive that is not a remedy
  | 'positive' // positive, good, great, five stars
  | 'happy' // satisfied, happy, liked (review gating: "if you liked it, leave a review")
  | 'thanks' // thank you, gracias, obrigado…
  | 'for' // for / por / pela / pour / per / für (before a review noun)
  | 'exchange' // in exchange for, in return for, a cambio de, als Dankeschön für…
  | 'cond' // if, when, once, as soon as
  | 'neg' // not, never, no, nunca, ne, pas, nicht…
  | 'negExcept' // forget, hesitate: "don't forget to …" is not a negation
  | 'contact' // email, phone, whatsapp, telegram, instagram, mobile…
  | 'number' // number / número / Nummer: a contact only when it is someone's number
  | 'orderWord' // order, tracking, reference, invoice: "order number" is not a contact
  | 'personal' // personal, private, direct, own
  | 'offPlatform' // outside the platform / app / marketplace, por fuera, fora da plataforma
  | 'request' // give me, send me, what is, dame, me passa, donnez-moi…
  | 'offer' // write me at, call me on, here is, escríbeme, me chama no…
  | 'my' // my / mi / meu / mon / mio / mein
  | 'your' // your / tu / su / seu / votre / tuo / Ihr
  | 'we' // we / nosotros / nous / wir: a new subject that ends a reverse (object-first) match
  | 'pronoun' // it / them / la / lo / sie: an object that refers back to a review mentioned earlier
  | 'persist' // keep / continue / won't stop
  | 'contactVerb' // writing, calling, messaging, insisting
  | 'until' // until / hasta que / até que / jusqu'à ce que / finché / bis
  | 'threat' // legal action, lawyer, sue, consequences, regret
  | 'ultimatum' // last warning, final notice
  | 'ask' // ask / request / bitten / pedir: "we would never ask you to…" negates what follows
  | 'passive' // be / ser / être / essere: "could the review be removed" (object before its verb)
  | 'permission' // you can / puedes / Sie können: the customer's freedom ("you can keep writing to us")
  | 'move' // talk / chat / continue (somewhere else): "better to talk on Telegram"
  | 'barrier'; // and / but / also: ends a forward match between a verb and its object

export type Lang = 'es' | 'en' | 'pt' | 'fr' | 'it' | 'de';
export const LANGS: readonly Lang[] = ['es', 'en', 'pt', 'fr', 'it', 'de'];

/**
 * One language's words. `stems`: content words, matched after Snowball stemming (any inflection, small typos).
 * `forms`: function words matched exactly (accents removed). `phrases`: multi-word expressions (accents removed,
 * space separated; `…` allows up to three words between two parts: "take … down"). `stop`: common words used to
 * tell the language.
 */
export interface Lexicon {
  stems: Partial<Record<Tag, string[]>>;
  forms: Partial<Record<Tag, string[]>>;
  phrases: Partial<Record<Tag, string[]>>;
  stop: string[];
  /** Suffixes that attach object pronouns to verbs (es/it/pt: eliminarla, cancellarla, removê-la). */
  clitics?: string[];
  /** German-style compounds: a word ending in one of these carries its tags (Kundenbewertung). */
  compounds?: Partial<Record<Tag, string[]>>;
}

export type Family = 'review_change' | 'review_incentive' | 'review_positive' | 'pressure' | 'off_platform_contact';

export interface ContentFinding {
  family: Family;
  /** Index of the sentence that broke the rule (for tests; never its text). */
  sentence: number;
}

export interface ContentAnalysis {
  lang: Lang;
  findings: ContentFinding[];
  /** Facts the guard uses with the conversation's history. */
  signals: {
    /** The text mentions a review/rating at all (a customer saying "I left a 1-star review"). */
    reviewMention: boolean;
    /** The text invites a review (neutral or not). */
    reviewInvite: boolean;
    /** The text offers something (refund, gift, discount…), whatever for. */
    incentive: boolean;
  };
}
