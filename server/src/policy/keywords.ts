// Opt-out and abuse-report keywords in es/en/pt/fr/it/de. A message matches only when it IS the keyword (any
// case, accents, punctuation or emoji around it), never when a sentence merely contains the word. Also the
// confirmation texts in each language. Must never log or store the customer's message.
import { bareWords } from './text.js';

export type KeywordLang = 'es' | 'en' | 'pt' | 'fr' | 'it' | 'de';
/** `lang`: the first language listed for the word; `langs`: every language that uses it (DENUNCIAR: es and pt). */
export type KeywordMatch = { kind: 'opt_out' | 'report'; lang: KeywordLang; langs: KeywordLang[] };

// Normalised (lower case, no accents). The first language listed wins for words shared by several languages.
const OPT_OUT: Array<[string, KeywordLang]> = [
  ['stop', 'en'],
  ['unsubscribe', 'en'],
  ['stop all', 'en'],
  ['opt out', 'en'],
  ['optout', 'en'],
  ['cancel', 'en'],
  ['end', 'en'],
  ['quit', 'en'],
  ['baja', 'es'],
  ['darme de baja', 'es'],
  ['dar de baja', 'es'],
  ['parar', 'es'],
  ['cancelar', 'es'],
  ['alto', 'es'],
  ['no mas', 'es'],
  ['basta ya', 'es'],
  ['desuscribir', 'es'],
  ['anular suscripcion', 'es'],
  ['sair', 'pt'],
  ['descadastrar', 'pt'],
  ['cancelar inscricao', 'pt'],
  ['cancelar', 'pt'],
  ['parar', 'pt'],
  ['stop', 'es'],
  ['stop', 'pt'],
  ['stop', 'fr'],
  ['stop', 'it'],
  ['stop', 'de'],
  ['pare', 'pt'],
  ['parar de receber', 'pt'],
  ['arret', 'fr'],
  ['stop pub', 'fr'],
  ['desabonner', 'fr'],
  ['desinscrire', 'fr'],
  ['annuler', 'fr'],
  ['basta', 'it'],
  ['basta', 'es'],
  ['disiscrivi', 'it'],
  ['disiscriviti', 'it'],
  ['cancella', 'it'],
  ['fermati', 'it'],
  ['stopp', 'de'],
  ['abmelden', 'de'],
  ['abbestellen', 'de'],
  ['austragen', 'de'],
  ['kundigen', 'de'],
];

const REPORT: Array<[string, KeywordLang]> = [
  ['report', 'en'],
  ['report abuse', 'en'],
  ['spam', 'en'],
  ['denunciar', 'es'],
  ['denuncia', 'es'],
  ['reportar', 'es'],
  ['denunciar abuso', 'pt'],
  ['denunciar', 'pt'],
  ['denuncia', 'pt'],
  ['reportar', 'pt'],
  ['spam', 'es'],
  ['spam', 'pt'],
  ['spam', 'fr'],
  ['spam', 'it'],
  ['spam', 'de'],
  ['reclamar abuso', 'pt'],
  ['signaler', 'fr'],
  ['signalement', 'fr'],
  ['segnala', 'it'],
  ['segnalare', 'it'],
  ['melden', 'de'],
  ['missbrauch melden', 'de'],
];

function byWord(list: Array<[string, KeywordLang]>): Map<string, KeywordLang[]> {
  const m = new Map<string, KeywordLang[]>();
  for (const [w, l] of list) m.set(w, [...(m.get(w) ?? []), l]);
  return m;
}
const OPT_OUT_MAP = byWord(OPT_OUT);
const REPORT_MAP = byWord(REPORT);

/** The keyword a whole message is, or null. */
export function matchKeyword(text: string | null | undefined): KeywordMatch | null {
  if (!text) return null;
  if (text.length > 40) return null;
  const w = bareWords(text);
  if (!w) return null;
  const o = OPT_OUT_MAP.get(w);
  if (o) return { kind: 'opt_out', lang: o[0]!, langs: o };
  const r = REPORT_MAP.get(w);
  if (r) return { kind: 'report', lang: r[0]!, langs: r };
  return null;
}

/** Template quick-reply / button payloads that mean "stop marketing". */
export function isStopPayload(payload: string | null | undefined): boolean {
  if (!payload) return false;
  const p = payload
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return /^(STOP|STOP_PROMOTIONS|STOP_MARKETING|UNSUBSCRIBE|OPT_OUT|OPTOUT|BAJA|PARAR|SAIR|ARRET|STOPP)$/.test(p);
}

export const OPT_OUT_CONFIRMATION: Record<KeywordLang, string> = {
  en: "You won't receive marketing messages from us any more. You can still write to us at any time.",
  es: 'No recibirás más mensajes promocionales nuestros. Puedes seguir escribiéndonos cuando quieras.',
  pt: 'Você não receberá mais mensagens promocionais nossas. Pode continuar nos escrevendo quando quiser.',
  fr: 'Vous ne recevrez plus de messages promotionnels de notre part. Vous pouvez toujours nous écrire.',
  it: 'Non riceverai più messaggi promozionali da parte nostra. Puoi sempre scriverci quando vuoi.',
  de: 'Sie erhalten von uns keine Werbenachrichten mehr. Sie können uns weiterhin jederzeit schreiben.',
};

export const REPORT_CONFIRMATION: Record<KeywordLang, string> = {
  en: 'Thank you. Your report was passed to a supervisor, who will review this conversation.',
  es: 'Gracias. Tu denuncia se ha enviado a un supervisor, que revisará esta conversación.',
  pt: 'Obrigado. Sua denúncia foi enviada a um supervisor, que vai revisar esta conversa.',
  fr: 'Merci. Votre signalement a été transmis à un superviseur, qui examinera cette conversation.',
  it: 'Grazie. La tua segnalazione è stata inviata a un supervisore, che esaminerà questa conversazione.',
  de: 'Danke. Ihre Meldung wurde an eine Aufsicht weitergegeben, die dieses Gespräch prüfen wird.',
};
