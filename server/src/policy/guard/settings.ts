// Configuration of the guard checks (frequency cap, content policy actions), set once at start from config
// (server.ts → configureGuard). Defaults match .env.example. Must never read the environment itself.
import { DEFAULT_CONTENT_ACTIONS, type ContentAction, type ContentRuleId } from '../content-rules.js';

export interface GuardSettings {
  frequency: { max: number; days: number; unanswered: number };
  contentActions: Record<ContentRuleId, ContentAction>;
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
