// /api/analytics/funnel (JSON or CSV; exports audited as analytics.exported), /api/analytics/billing (messages
// WhatsApp billed or sent free, per campaign and pricing category) and /api/capi/outbox (admins: the
// Conversions API outbox, dead letters, retry). Aggregates only: must never return message bodies, contact
// identities, ctwa_clid or PSIDs.
import { Router } from 'express';
import { z } from 'zod';
import { BillingQuerySchema, FunnelQuerySchema } from '../../../shared/src/index.js';
import { billingReport } from '../attribution/billing.js';
import { funnelCsv, funnelReport } from '../attribution/funnel.js';
import type { CapiOutbox } from '../attribution/capi.js';
import { recordAudit } from '../policy/audit.js';
import { notFound } from './errors.js';
import { currentUser, requirePermission } from './guards.js';
import { param, parse } from './validate.js';

export function analyticsRoutes(): Router {
  const r = Router();
  r.get('/funnel', requirePermission('analytics:read'), async (req, res) => {
    const q = parse(FunnelQuerySchema, req.query, 'query');
    const report = await funnelReport(q);
    if (q.format === 'csv') {
      const u = currentUser(req);
      await recordAudit({
        actor: { type: 'user', id: u.id, name: u.name },
        action: 'analytics.exported',
        target: { type: 'funnel', id: q.groupBy },
        details: { format: 'csv', from: report.from, to: report.to, groupBy: q.groupBy, rows: report.rows.length },
      });
      const name = `parley-funnel-${q.groupBy}-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      res.type('text/csv; charset=utf-8').send(funnelCsv(report));
      return;
    }
    res.json(report);
  });
  r.get('/billing', requirePermission('analytics:read'), async (req, res) => {
    res.json(await billingReport(parse(BillingQuerySchema, req.query, 'query')));
  });
  return r;
}

const OutboxQuery = z.strictObject({ state: z.enum(['pending', 'sending', 'sent', 'dead', 'skipped']).optional() });

export function capiRoutes(capi: CapiOutbox): Router {
  const r = Router();
  r.use(requirePermission('integrations:manage'));
  r.get('/outbox', async (req, res) => {
    const q = parse(OutboxQuery, req.query, 'query');
    res.json({ enabled: capi.enabled, items: await capi.list(q.state) });
  });
  r.post('/outbox/:id/retry', async (req, res) => {
    if (!(await capi.retry(param(req, 'id')))) throw notFound('Dead outbox item');
    res.json({ ok: true });
  });
  return r;
}
