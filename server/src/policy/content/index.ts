// The content detector: tokenises a message, guesses its language, tags words with concepts from per-language
// stemmed lexicons and applies the rule families. analyseContent() is what the guard and the evaluation use. Must
// never log, store or return the text it analyses.
import { guessLanguages } from './language.js';
import { findFamilies } from './rules.js';
import { STOPWORDS, tagSentences } from './tagger.js';
import { tokenise } from './tokens.js';
import { LANGS, type ContentAnalysis, type Lang } from './types.js';

export type { ContentAnalysis, ContentFinding, Family, Lang } from './types.js';

const MAX_CHARS = 4096;

/** Analyse one message. `hint` is a language to prefer when the text alone cannot tell (e.g. the business locale). */
export function analyseContent(text: string, hint?: Lang): ContentAnalysis {
  const clipped = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const sentences = tokenise(clipped);
  const order = hint ? [hint, ...LANGS.filter((l) => l !== hint)] : LANGS;
  const ranked = guessLanguages(clipped.toLowerCase(), sentences, STOPWORDS, order);
  // The message's language first, then English (loan words: "review", "feedback"), then any language that scored
  // nearly as well (short messages: "me passa seu whatsapp" has as many Spanish as Portuguese words).
  const top = ranked[0]![1];
  const close = ranked.filter(([, n], i) => i > 0 && n > 0 && n >= top - 1).map(([l]) => l);
  const langs = [...new Set<Lang>([ranked[0]![0], 'en', ...close.slice(0, 2)])];
  const tagged = tagSentences(sentences, langs);
  const { findings, facts } = findFamilies(tagged, ranked[0]![0]);
  return {
    lang: ranked[0]![0],
    findings,
    signals: {
      reviewMention: facts.some((f) => f.review),
      reviewInvite: facts.some((f) => f.invite),
      incentive: facts.some((f) => f.incentive),
    },
  };
}
