// /api/review: the supervisor queue (held messages, abuse reports) and its decisions. Approve sends through the
// sender and guard (a refusal comes back with why); reject keeps it unsent with a note. Thin: guard → validate →
// ReviewService. Must never send anything itself.
import { Router } from 'express';
import { ReviewDecisionBodySchema } from '../../../shared/src/index.js';
import type { ReviewService } from '../protection/review.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export function reviewRoutes(review: ReviewService): Router {
  const r = Router();
  r.use(requirePermission('review:manage'));
  r.get('/', async (_req, res) => {
    res.json({ items: await review.list() });
  });
  r.post('/:id/approve', async (req, res) => {
    const { note } = parse(ReviewDecisionBodySchema, req.body ?? {});
    const u = currentUser(req);
    res.json(await review.approve(param(req, 'id'), { id: u.id, name: u.name }, note));
  });
  r.post('/:id/reject', async (req, res) => {
    const { note } = parse(ReviewDecisionBodySchema, req.body ?? {});
    const u = currentUser(req);
    res.json(await review.reject(param(req, 'id'), { id: u.id, name: u.name }, note));
  });
  return r;
}
