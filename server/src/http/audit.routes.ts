// /api/audit: search the audit trail (supervisor/admin, newest first, cursor = seq) and verify its hash chain
// (admin). Read-only: must never edit or delete an entry.
import { Router } from 'express';
import { AuditQuerySchema, type AuditEntry, type AuditListResponse } from '../../../shared/src/index.js';
import { verifyAuditTrail } from '../policy/audit-verify.js';
import { AuditEntryModel, type AuditEntryRecord } from '../models/audit-entry.js';
import { requirePermission } from './guards.js';
import { parse } from './validate.js';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function toAuditView(e: AuditEntryRecord & { _id: unknown }): AuditEntry {
  return {
    id: String(e._id),
    seq: e.seq,
    at: e.at.toISOString(),
    actor: { type: e.actor?.type ?? 'system', id: e.actor?.id ?? null, name: e.actor?.name ?? null },
    action: e.action,
    target: { type: e.target?.type ?? null, id: e.target?.id ?? null },
    details: (e.details as Record<string, unknown>) ?? {},
    hash: e.hash,
  };
}

function dayBound(s: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return new Date(`${s}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);
  return new Date(s);
}

export function auditRoutes(): Router {
  const r = Router();

  r.get('/verify', requirePermission('audit:verify'), async (_req, res) => {
    res.json(await verifyAuditTrail());
  });

  r.get('/', requirePermission('audit:read'), async (req, res) => {
    const q = parse(AuditQuerySchema, req.query, 'query');
    const filter: Record<string, unknown> = {};
    if (q.actor) {
      filter.$or = [
        { 'actor.id': q.actor },
        { 'actor.name': { $regex: escapeRe(q.actor), $options: 'i' } },
        { 'actor.type': q.actor },
      ];
    }
    // "message." matches every message action; "auth.login" matches auth.login and auth.login_failed.
    if (q.action) filter.action = { $regex: `^${escapeRe(q.action)}` };
    if (q.target) filter['target.id'] = q.target;
    if (q.from || q.to) {
      filter.at = {
        ...(q.from ? { $gte: dayBound(q.from, false) } : {}),
        ...(q.to ? { $lte: dayBound(q.to, true) } : {}),
      };
    }
    if (q.cursor) filter.seq = { $lt: q.cursor };
    const rows = await AuditEntryModel.find(filter)
      .sort({ seq: -1 })
      .limit(q.limit + 1)
      .lean();
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit).map((e) => toAuditView(e as AuditEntryRecord & { _id: unknown }));
    const body: AuditListResponse = { items, nextCursor: more ? String(items[items.length - 1].seq) : null };
    res.json(body);
  });

  return r;
}
