// Content policy rules (es/en/pt): requests to change or remove a review or rating, offers of money/refunds/gifts
// in exchange for a review, and requests for off-platform contact data. Pure functions over normalised text,
// tested with multilingual positives and negatives. Must never log or store the text it checks.
import { normalise } from './text.js';

export type ContentRuleId = 'review_change' | 'review_incentive' | 'off_platform_contact';
export type ContentAction = 'block' | 'hold';

export interface ContentRule {
  id: ContentRuleId;
  /** What the agent is told (the sentence in the 422 and on the stored message). */
  explain: string;
  test(sentence: string): boolean;
}

const W = "(?:[\\p{L}\\p{N}'$€%-]+\\s+)"; // one word + space
const gap = (n: number) => `${W}{0,${n}}`;
const rx = (s: string) => new RegExp(s, 'u');

// --- review nouns (with a determiner/adjective, so "we will review your case" is not a review) ---
const REVIEW_EN = `(?:\\b(?:a|an|your|the|that|this|my|our|positive|good|great|nice|bad|negative|1|one|5|five)[- ]?(?:star\\s+)?(?:google\\s+|online\\s+)?(?:review|rating|feedback|comment)s?\\b|\\b(?:5|five|1|one)[- ]?stars?\\b)`;
const REVIEW_ES = `(?:\\b(?:resena|resenas|opinion|opiniones|valoracion|valoraciones|calificacion|puntuacion|review|comentario negativo|comentario)\\b|\\b(?:5|cinco|una|1)\\s+estrellas?\\b)`;
const REVIEW_PT = `(?:\\b(?:avaliacao|avaliacoes|review|comentario negativo|comentario|classificacao)\\b|\\b(?:5|cinco|uma|1)\\s+estrelas?\\b|\\bsua nota\\b)`;

// --- change/remove verbs ---
const CHANGE_EN = `\\b(?:delete|remove|change|edit|update|take\\s+down|withdraw|modify|retract|raise|improve|amend|erase)\\b`;
const CHANGE_ES = `\\b(?:borr\\w*|elimin\\w*|quit\\w*|cambi\\w*|modific\\w*|retir\\w*|edit\\w*|sub\\w*|mejor\\w*|actualiz\\w*)\\b`;
const CHANGE_PT = `\\b(?:apag\\w*|remov\\w*|retir\\w*|exclu\\w*|mud\\w*|alter\\w*|edit\\w*|tir\\w*|melhor\\w*|atualiz\\w*|aument\\w*)\\b`;

// --- incentives ---
const MONEY = `(?:\\d+\\s?(?:€|\\$|eur|euros?|usd|dollars?|reais|%)|[€$]\\s?\\d+)`;
const INCENTIVE_EN = `(?:\\b(?:refund\\w*|money|cash|gift\\w*|discount\\w*|coupon\\w*|voucher\\w*|free|reward\\w*|pay\\s+you|compensat\\w*|bonus)\\b|${MONEY})`;
const INCENTIVE_ES = `(?:\\b(?:reembols\\w*|devolv\\w*\\s+(?:el|tu|su)\\s+dinero|dinero|regalo\\w*|descuento\\w*|cupon\\w*|vale|gratis|compens\\w*|te\\s+pagamos|le\\s+pagamos|premio|bono)\\b|${MONEY})`;
const INCENTIVE_PT = `(?:\\b(?:reembols\\w*|dinheiro|presente\\w*|brinde\\w*|desconto\\w*|cupom|cupons|vale|gratis|compens\\w*|te\\s+pagamos|pagamos|bonus)\\b|${MONEY})`;

const LINK_EN = `\\b(?:if|for|in\\s+exchange|in\\s+return|when|once|after|as\\s+soon\\s+as)\\b`;
const LINK_ES = `\\b(?:si|por|a\\s+cambio|cuando|en\\s+cuanto|despues)\\b`;
const LINK_PT = `\\b(?:se|por|pela|pelo|em\\s+troca|quando|assim\\s+que|depois)\\b`;
const THEN_EN = `\\b(?:and|then|to\\s+get|we'?ll|we\\s+will|you'?ll\\s+get|get)\\b`;
const THEN_ES = `\\b(?:y|para\\s+(?:recibir|obtener|tener)|te\\s+damos|le\\s+damos|te\\s+daremos)\\b`;
const THEN_PT = `\\b(?:e|para\\s+(?:receber|ganhar|ter)|te\\s+damos|daremos|ganha)\\b`;

function pair(a: string, link: string, b: string) {
  return rx(`${a}.{0,80}?${link}.{0,80}?${b}`);
}

const reviewChange = [
  rx(`${CHANGE_EN}\\s+${gap(3)}${REVIEW_EN}`),
  rx(`${CHANGE_ES}\\s+${gap(4)}${REVIEW_ES}`),
  rx(`${CHANGE_PT}\\s+${gap(4)}${REVIEW_PT}`),
];

const reviewIncentive = [
  pair(INCENTIVE_EN, LINK_EN, REVIEW_EN),
  pair(REVIEW_EN, THEN_EN, INCENTIVE_EN),
  pair(INCENTIVE_ES, LINK_ES, REVIEW_ES),
  pair(REVIEW_ES, THEN_ES, INCENTIVE_ES),
  pair(INCENTIVE_PT, LINK_PT, REVIEW_PT),
  pair(REVIEW_PT, THEN_PT, INCENTIVE_PT),
];

const CONTACT_EN = `(?:personal\\s+|private\\s+|own\\s+|real\\s+|direct\\s+)?(?:email|e-mail|phone|phone\\s+number|number|cell|mobile|whatsapp|telegram|instagram|ig)\\b`;
const CONTACT_ES = `(?:correo|email|e-mail|mail|telefono|numero|movil|celular|whatsapp|whats|instagram|telegram)\\b(?!\\s+de\\s+(?:pedido|orden|seguimiento|referencia|cliente|factura|reserva|envio))`;
const CONTACT_PT = `(?:email|e-mail|telefone|numero|celular|whatsapp|zap|instagram|telegram)\\b(?!\\s+d[oae]s?\\s+(?:pedido|rastreio|rastreamento|cliente|nota|protocolo|reserva))`;
const offPlatform = [
  rx(`\\b(?:give|share|tell|pass|provide|send)\\s+me\\s+${gap(1)}(?:your|ur)\\s+${CONTACT_EN}`),
  rx(
    `\\b(?:what'?s|what\\s+is|can\\s+i\\s+(?:have|get)|could\\s+i\\s+(?:have|get))\\s+(?:your|ur)\\s+(?:personal|private|own|real|direct)\\s+${CONTACT_EN}`,
  ),
  rx(
    `\\b(?:what'?s|what\\s+is|can\\s+i\\s+(?:have|get)|could\\s+i\\s+(?:have|get))\\s+(?:your|ur)\\s+(?:email|e-mail|phone|phone\\s+number|number|cell|mobile|whatsapp|telegram|instagram)\\s*$`,
  ),
  rx(
    `\\b(?:write|text|call|email|message|contact|reach|dm)\\s+me\\s+(?:directly\\s+|privately\\s+)?(?:at|on)\\s+(?:my\\s+)?(?:personal|private|own)?`,
  ),
  rx(`\\bmy\\s+(?:personal|private|own)\\s+(?:email|e-mail|phone|number|cell|mobile|whatsapp|telegram|instagram)\\b`),
  rx(
    `\\b(?:dame|pasame|me\\s+das|me\\s+pasas|dime|comparte(?:me)?|enviame|mandame|cual\\s+es)\\s+${gap(1)}(?:tu|su)\\s+(?:\\w+\\s+)?${CONTACT_ES}`,
  ),
  rx(`\\b(?:escribeme|llamame|contactame|escribame|llameme|contacteme)\\s+(?:a|al|en)\\s+(?:mi\\s+)?`),
  rx(`\\bmi\\s+(?:correo|email|mail|telefono|numero|movil|celular|whatsapp)\\s+(?:personal|privado|particular)\\b`),
  rx(
    `\\b(?:me\\s+passa|passa|me\\s+da|me\\s+de|manda|envie|compartilhe|me\\s+envia|qual\\s+(?:e|eh)\\s+(?:o|a))\\s+${gap(1)}(?:seu|sua|teu|tua)\\s+(?:\\w+\\s+)?${CONTACT_PT}`,
  ),
  rx(`\\b(?:me\\s+chama|me\\s+liga|me\\s+escreve|fala\\s+comigo)\\s+(?:no|pelo|em)\\s+(?:meu\\s+)?`),
  rx(`\\bmeu\\s+(?:email|e-mail|telefone|numero|celular|whatsapp|zap)\\s+(?:pessoal|particular|privado)\\b`),
];

export const CONTENT_RULES: readonly ContentRule[] = [
  {
    id: 'review_incentive',
    explain:
      'This message offers money, a refund or a gift in exchange for a review: reviews must never be bought or traded.',
    test: (s) => reviewIncentive.some((r) => r.test(s)),
  },
  {
    id: 'review_change',
    explain:
      'This message asks the customer to change or remove a review or rating: customers must be free to review as they wish.',
    test: (s) => reviewChange.some((r) => r.test(s)),
  },
  {
    id: 'off_platform_contact',
    explain:
      'This message asks for or offers personal contact details outside this conversation: keep the conversation here.',
    test: (s) => offPlatform.some((r) => r.test(s)),
  },
];

/** Sentences of a text, normalised. */
function sentences(text: string): string[] {
  return text
    .split(/[.!?¡¿\n;]+/u)
    .map((s) => normalise(s))
    .filter(Boolean);
}

/** The first rule a text breaks, or null. */
export function findViolation(text: string | null | undefined): ContentRule | null {
  if (!text) return null;
  const parts = sentences(text);
  for (const rule of CONTENT_RULES) if (parts.some((p) => rule.test(p))) return rule;
  return null;
}

/** "review_change=block,off_platform_contact=hold" → per-rule actions (defaults for the rest). */
export const DEFAULT_CONTENT_ACTIONS: Record<ContentRuleId, ContentAction> = {
  review_incentive: 'block',
  review_change: 'block',
  off_platform_contact: 'hold',
};

export function parseContentActions(spec: string | undefined): Record<ContentRuleId, ContentAction> {
  const out = { ...DEFAULT_CONTENT_ACTIONS };
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (!(k in out) || (v !== 'block' && v !== 'hold'))
      throw new Error(`"${part}" is not rule=block|hold (rules: ${Object.keys(out).join(', ')})`);
    out[k as ContentRuleId] = v;
  }
  return out;
}
