// /sandbox: the simulated customer phone (dev/test only; 404 unless config.sandboxEnabled). Serves the phone page,
// the demo ad creatives (public: static pictures the console also shows), and a small JSON API: send a message,
// history, live replies over Server-Sent Events, read receipts, reply media. The page and the API need a signed-in
// console session allowed 'sandbox:use' (sandbox-gate.ts; POSTs carry the CSRF token). Thin: validate →
// SandboxPhone. Must never be mounted in production without SANDBOX=1, never answer without a permitted session,
// and never write to the inbox except through SandboxPhone's signed webhooks.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { demoAdSvg } from '../channels/sandbox/demo-ads.js';
import { SandboxError, type SandboxPhone } from '../channels/sandbox/phone.js';
import { HttpError, notFound } from './errors.js';
import { sandboxApiGate, sandboxPageGate, watchSandboxSession } from './sandbox-gate.js';
import { planMediaServing, setMediaHeaders } from './media-safety.js';
import { parse } from './validate.js';

export interface SandboxRouteDeps {
  enabled: boolean;
  phone: SandboxPhone;
  /** Folder of the built client (sandbox.html lives there). */
  clientDir: string;
  /** The console's session + passport middleware (the sandbox is mounted before the app-wide chain). */
  session: RequestHandler[];
}

const Phone = z
  .string()
  .transform((s) => s.replace(/[\s()+.-]/g, ''))
  .pipe(z.string().regex(/^\d{8,15}$/, 'must be a phone number of 8 to 15 digits'));
const SendBody = z.strictObject({
  phone: Phone,
  name: z.string().trim().min(1, 'must not be empty').max(60),
  text: z.string().trim().min(1, 'must not be empty').max(4096),
  adId: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional(),
});
const ReadBody = z.strictObject({ phone: Phone, ids: z.array(z.string().min(1).max(100)).min(1).max(100) });
const PhoneQuery = z.object({ phone: Phone });

export function sandboxRoutes(deps: SandboxRouteDeps): Router {
  const r = Router();
  if (!deps.enabled) {
    r.use(['/sandbox', '/sandbox.html'], (req, _res, next) =>
      next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`)),
    );
    return r;
  }
  const { phone } = deps;
  const wrap = <T>(p: Promise<T>) =>
    p.catch((err) => {
      throw err instanceof SandboxError ? new HttpError(err.status, err.code, err.message) : err;
    });

  r.get('/sandbox', ...deps.session, sandboxPageGate, (_req, res) => {
    const page = join(deps.clientDir, 'sandbox.html');
    if (!existsSync(page)) {
      res.status(503).type('text/plain').send('The sandbox page is not built yet: run `npm run build:client`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(page);
  });
  r.get('/sandbox.html', (_req, res) => res.redirect(302, '/sandbox'));
  r.get('/sandbox/demo-ads/:file', (req, res) => {
    const svg = demoAdSvg(req.params.file.replace(/\.svg$/, ''));
    if (!svg) throw notFound('Demo ad');
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(svg);
  });

  const api = Router();
  api.use(rateLimit({ windowMs: 60_000, limit: 600, standardHeaders: 'draft-7', legacyHeaders: false }));
  api.use(...deps.session, ...sandboxApiGate());
  api.use(express.json({ limit: '32kb', strict: true }));
  api.get('/info', async (_req, res) => {
    res.json(await wrap(phone.info()));
  });
  api.get('/messages', async (req, res) => {
    const q = parse(PhoneQuery, req.query, 'query');
    res.json({ items: await wrap(phone.history(q.phone)) });
  });
  api.post('/messages', async (req, res) => {
    const b = parse(SendBody, req.body);
    res.status(201).json({ message: await wrap(phone.send(b)) });
  });
  api.post('/read', async (req, res) => {
    const b = parse(ReadBody, req.body);
    res.json({ read: await wrap(phone.markRead(b.phone, b.ids)) });
  });
  api.get('/media/:id', async (req, res) => {
    const file = await phone.mediaFile(req.params.id);
    if (!file) throw notFound('Media');
    // Served by its sniffed type (inline only for passive media), never by the declared file.mimeType.
    setMediaHeaders(res, await planMediaServing(file.data), file.filename);
    res.send(file.data);
  });
  api.get('/events', async (req, res) => {
    const q = parse(PhoneQuery, req.query, 'query');
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    ping.unref();
    // Signed out (or no longer allowed) → the stream ends; the browser's reconnect then gets a 401.
    let dispose: (() => void) | undefined;
    const unwatch = watchSandboxSession(req, () => {
      clearInterval(ping);
      dispose?.();
      res.end();
    });
    try {
      dispose = await wrap(
        phone.openStream(
          q.phone,
          (m) => res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`),
          () => {
            clearInterval(ping);
            unwatch();
            res.end();
          },
        ),
      );
    } catch (err) {
      clearInterval(ping);
      unwatch();
      throw err;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    req.on('close', () => {
      clearInterval(ping);
      unwatch();
      dispose?.();
    });
  });
  api.use((req, _res, next) => next(notFound(`Sandbox route ${req.method} ${req.path}`)));
  r.use('/sandbox/api', api);
  return r;
}
