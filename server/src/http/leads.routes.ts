// /api/conversations/:id/lead: set a conversation's lead stage (qualified / converted with value + currency /
// lost) and read its history. Agents of the conversation's channel, supervisors, admins. Mounted at
// /api/conversations next to conversations.routes.ts. Must never return click ids or PSIDs.
import { Router } from 'express';
import { LeadStageInputSchema } from '../../../shared/src/index.js';
import type { AttributionService } from '../attribution/index.js';
import { leadHistory } from '../attribution/leads.js';
import { loadVisibleConversation } from '../inbox/access.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export function leadRoutes(attribution: AttributionService): Router {
  const r = Router();
  r.post('/:id/lead', requirePermission('conversations:reply'), async (req, res) => {
    const u = currentUser(req);
    const input = parse(LeadStageInputSchema, req.body);
    const conv = await loadVisibleConversation(u, param(req, 'id'), 'conversations:reply');
    const change = await attribution.setStage(String(conv._id), input, { id: u.id, name: u.name });
    res.json({ stage: change.stage, value: change.value, currency: change.currency });
  });
  r.get('/:id/lead', requirePermission('conversations:read'), async (req, res) => {
    const conv = await loadVisibleConversation(currentUser(req), param(req, 'id'));
    res.json(
      (await leadHistory(String(conv._id))) ?? {
        stage: null,
        value: null,
        currency: null,
        firstResponseSeconds: null,
        history: [],
      },
    );
  });
  return r;
}
