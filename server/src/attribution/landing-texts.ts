// The tracked-link landing page's words in the six customer languages, and the versioned marketing opt-in text the
// customer ticks (stored word for word, with its language, as the consent evidence). Texts only; must never hold
// customer data. Changing an opt-in sentence means a new LANDING_OPT_IN_VERSION.
import type { CustomerLang } from '../policy/customer-language.js';

export const LANDING_OPT_IN_VERSION = 'landing-optin-v1';

interface LandingTexts {
  title(business: string): string;
  intro(business: string, channel: string): string;
  optIn(business: string): string;
  button: string;
  optional: string;
  /** The page for a link that does not exist (or no longer does). */
  deadTitle: string;
  dead(business: string): string;
}

export const LANDING_TEXTS: Record<CustomerLang, LandingTexts> = {
  en: {
    title: (b) => `Chat with ${b}`,
    intro: (b, c) => `You are about to open a chat with ${b} on ${c}.`,
    optIn: (b) => `Yes, ${b} may send me offers and news by WhatsApp or Messenger. I can reply STOP at any time.`,
    button: 'Continue to chat',
    optional: 'Ticking the box is optional. You can chat with us either way.',
    deadTitle: 'Link not found',
    dead: (b) => `This chat link does not exist or is no longer active. Please ask ${b} for a new one.`,
  },
  es: {
    title: (b) => `Chatea con ${b}`,
    intro: (b, c) => `Vas a abrir un chat con ${b} en ${c}.`,
    optIn: (b) =>
      `Sí, ${b} puede enviarme ofertas y novedades por WhatsApp o Messenger. Puedo responder BAJA en cualquier momento.`,
    button: 'Continuar al chat',
    optional: 'Marcar la casilla es opcional. Puedes chatear con nosotros igualmente.',
    deadTitle: 'Enlace no encontrado',
    dead: (b) => `Este enlace de chat no existe o ya no está activo. Pide a ${b} uno nuevo.`,
  },
  pt: {
    title: (b) => `Converse com ${b}`,
    intro: (b, c) => `Você vai abrir uma conversa com ${b} no ${c}.`,
    optIn: (b) =>
      `Sim, ${b} pode me enviar ofertas e novidades pelo WhatsApp ou Messenger. Posso responder SAIR a qualquer momento.`,
    button: 'Continuar para a conversa',
    optional: 'Marcar a caixa é opcional. Você pode conversar com a gente de qualquer forma.',
    deadTitle: 'Link não encontrado',
    dead: (b) => `Este link de conversa não existe ou não está mais ativo. Peça um novo a ${b}.`,
  },
  fr: {
    title: (b) => `Discuter avec ${b}`,
    intro: (b, c) => `Vous allez ouvrir une discussion avec ${b} sur ${c}.`,
    optIn: (b) =>
      `Oui, ${b} peut m'envoyer des offres et des nouveautés par WhatsApp ou Messenger. Je peux répondre STOP à tout moment.`,
    button: 'Continuer vers la discussion',
    optional: 'Cocher la case est facultatif. Vous pouvez nous écrire dans tous les cas.',
    deadTitle: 'Lien introuvable',
    dead: (b) => `Ce lien de discussion n'existe pas ou n'est plus actif. Demandez-en un nouveau à ${b}.`,
  },
  it: {
    title: (b) => `Chatta con ${b}`,
    intro: (b, c) => `Stai per aprire una chat con ${b} su ${c}.`,
    optIn: (b) =>
      `Sì, ${b} può inviarmi offerte e novità via WhatsApp o Messenger. Posso rispondere STOP in qualsiasi momento.`,
    button: 'Continua alla chat',
    optional: 'Spuntare la casella è facoltativo. Puoi scriverci comunque.',
    deadTitle: 'Link non trovato',
    dead: (b) => `Questo link di chat non esiste o non è più attivo. Chiedine uno nuovo a ${b}.`,
  },
  de: {
    title: (b) => `Chat mit ${b}`,
    intro: (b, c) => `Sie öffnen gleich einen Chat mit ${b} auf ${c}.`,
    optIn: (b) =>
      `Ja, ${b} darf mir Angebote und Neuigkeiten per WhatsApp oder Messenger senden. Ich kann jederzeit mit STOPP antworten.`,
    button: 'Weiter zum Chat',
    optional: 'Das Ankreuzen ist freiwillig. Sie können uns so oder so schreiben.',
    deadTitle: 'Link nicht gefunden',
    dead: (b) => `Dieser Chat-Link existiert nicht oder ist nicht mehr aktiv. Bitten Sie ${b} um einen neuen.`,
  },
};

/** The exact opt-in sentence for a language (what is shown and what is stored as evidence). */
export const landingOptInText = (business: string, lang: CustomerLang = 'en') => LANDING_TEXTS[lang].optIn(business);
/** The version recorded with the evidence: the text's version and the language it was shown in. */
export const landingOptInVersion = (lang: CustomerLang) => `${LANDING_OPT_IN_VERSION}/${lang}`;
