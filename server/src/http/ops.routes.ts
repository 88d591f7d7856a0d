// Ops endpoints: /healthz (process up), /readyz (database reachable and, embedded, accepting writes), /metrics
// (admin session or METRICS_TOKEN).
// Must never expose data beyond metrics and up/down.
import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Connection } from 'mongoose';
import { DatabaseNotWritable, pingDatabase } from '../data/health.js';
import { can } from '../auth/permissions.js';
import type { Metrics } from '../metrics.js';
import { forbidden, unauthorized } from './errors.js';

function tokenMatches(sent: string, expected: string | undefined): boolean {
  if (!expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function opsRoutes(deps: {
  connection: Connection;
  metrics: Metrics;
  metricsToken?: string;
  /** The embedded engine is in use (it can refuse writes while answering pings). */
  embedded?: boolean;
}): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  r.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([
        pingDatabase(deps.connection, { embedded: deps.embedded }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('ping timeout')), 2000).unref()),
      ]);
      res.json({ status: 'ready', database: 'up' });
    } catch (err) {
      const message = err instanceof DatabaseNotWritable ? err.message : 'Database is not reachable';
      res.status(503).json({ error: { code: 'not_ready', message } });
    }
  });
  r.get('/metrics', async (req, res, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!(bearer && tokenMatches(bearer, deps.metricsToken)) && !can(req.user, 'metrics:read')) {
      return next(req.user || bearer ? forbidden() : unauthorized());
    }
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return r;
}
