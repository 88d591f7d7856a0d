// /api/campaigns: list, create, read, update campaigns and add ads to them (marketers and admins; supervisors
// read). Thin: validate → attribution/campaigns → views. Must never return contact data.
import { Router, type RequestHandler } from 'express';
import { AdInputSchema, CampaignInputSchema, CampaignPatchSchema } from '../../../shared/src/index.js';
import { can } from '../auth/permissions.js';
import { createAd, createCampaign, getCampaign, listCampaigns, updateCampaign } from '../attribution/campaigns.js';
import { forbidden, notFound, unauthorized } from './errors.js';
import { requirePermission } from './guards.js';
import { param, parse } from './validate.js';

/** Read access: anyone who sees the funnel or manages campaigns. */
export const canReadMarketing: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(unauthorized());
  next(can(req.user, 'analytics:read') || can(req.user, 'campaigns:manage') ? undefined : forbidden());
};

export function campaignRoutes(): Router {
  const r = Router();
  r.get('/', canReadMarketing, async (_req, res) => {
    res.json({ items: await listCampaigns() });
  });
  r.post('/', requirePermission('campaigns:manage'), async (req, res) => {
    res.status(201).json(await createCampaign(parse(CampaignInputSchema, req.body)));
  });
  // Agents see the campaign of a conversation's ad card (name and ads only, never contact data).
  const canReadOne: RequestHandler = (req, res, next) =>
    req.user && can(req.user, 'conversations:read') ? next() : canReadMarketing(req, res, next);
  r.get('/:id', canReadOne, async (req, res) => {
    const c = await getCampaign(param(req, 'id'));
    if (!c) throw notFound('Campaign');
    res.json(c);
  });
  r.patch('/:id', requirePermission('campaigns:manage'), async (req, res) => {
    const c = await updateCampaign(param(req, 'id'), parse(CampaignPatchSchema, req.body));
    if (!c) throw notFound('Campaign');
    res.json(c);
  });
  r.post('/:id/ads', requirePermission('campaigns:manage'), async (req, res) => {
    const ad = await createAd(param(req, 'id'), parse(AdInputSchema, req.body));
    if (!ad) throw notFound('Campaign');
    res.status(201).json(ad);
  });
  return r;
}
