// Bulk actions of the conversation list (close, assign, labels): the same action applied to each conversation on
// its own, through the same checks as one at a time (a conversation the user may not see answers not_found for
// that id and is untouched). Answers a result per id. Must never skip the per-conversation permission check.
import type { BulkActionBody, BulkResult } from '../../../shared/src/index.js';
import type { AuthUser } from '../auth/passport.js';
import { isDomainError } from '../errors.js';
import type { ConversationActions } from './conversation-actions.js';

export async function applyBulk(
  actions: ConversationActions,
  user: AuthUser,
  body: BulkActionBody,
): Promise<BulkResult> {
  const results: BulkResult['results'] = [];
  for (const id of [...new Set(body.ids)]) {
    try {
      const a = body.action;
      if (a.type === 'close') await actions.close(user, id);
      else if (a.type === 'assign') await actions.assign(user, id, a.userId);
      else await actions.changeLabels(user, id, { add: a.add, remove: a.remove });
      results.push({ id, ok: true });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      results.push({ id, ok: false, error: { code: err.code, message: err.message } });
    }
  }
  return { results };
}
