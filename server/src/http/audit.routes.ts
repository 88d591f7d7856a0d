// /api/audit: search the audit trail (supervisor/admin, newest first, cursor = seq) and verify its hash chain
// (admin). Read-only: must never edit or delete an entry.
import { Router } from 'express';
import { AuditQuerySchema, type AuditEntry, type AuditListResponse } from '../../../shared/src/index.js';
import { verifyAuditTrail } from '../policy/audit-verify.js';
import { mongoAuditStore, type AuditEntryLean } from '../data/audit.js';
import { requirePermission } from './guards.js';
import { parse } from './validate.js';

export function toAuditView(e: AuditEntryLean): AuditEntry {
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
    // "message." matches every message action; "auth.login" matches auth.login and auth.login_failed.
    const rows = await mongoAuditStore.search({
      actor: q.actor || undefined,
      actionPrefix: q.action || undefined,
      targetId: q.target || undefined,
      from: q.from ? dayBound(q.from, false) : undefined,
      to: q.to ? dayBound(q.to, true) : undefined,
      beforeSeq: q.cursor ? q.cursor : undefined,
      limit: q.limit + 1,
    });
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit).map(toAuditView);
    const body: AuditListResponse = { items, nextCursor: more ? String(items[items.length - 1].seq) : null };
    res.json(body);
  });

  return r;
}
