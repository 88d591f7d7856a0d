// Configuration of the guard checks (frequency cap, content policy actions), set once at start from config
// (server.ts → configureGuard). Defaults match .env.example. Must never read the environment itself.
import { DEFAULT_CONTENT_ACTIONS, type ContentAction, type ContentRuleId } from '../content-rules.js';
import type { Lang } from '../content/index.js';

export interface GuardSettings {
  frequency: { max: number; days: number; unanswered: number };
  contentActions: Record<ContentRuleId, ContentAction>;
  /** The business's language: the content check's tie-breaker for short texts. */
  businessLocale?: Lang;
}

let settings: GuardSettings = {
  frequency: { max: 2, days: 7, unanswered: 2 },
  contentActions: { ...DEFAULT_CONTENT_ACTIONS },
};

export function configureGuard(next: Partial<GuardSettings>): void {
  settings = { ...settings, ...next };
}

export function guardSettings(): GuardSettings {
  return settings;
}
