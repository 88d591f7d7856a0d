// Provider webhooks (no session, mounted before the JSON parser): GET /webhooks/{whatsapp,messenger} answers Meta's
// verify handshake; POST reads the RAW body (1 MB max → 413), checks X-Hub-Signature-256 against the app secrets of
// that provider's channels with timingSafeEqual (→ 401), parses and checks the envelope (→ 400), stores the raw body
// durably and only then answers 200 and wakes the processor. Must never store or parse anything before the
// signature is verified, and never answer 2xx before the event is stored.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { WebhookProvider } from '../channels/capabilities.js';
import type { WebhookSecret } from '../channels/registry.js';
import { parseCloudEnvelope } from '../channels/whatsapp-cloud/normalize.js';
import { parseMessengerEnvelope } from '../channels/messenger/normalize.js';
import { HttpError, describeZodError } from './errors.js';
import type { ZodError } from 'zod';

export const WEBHOOK_BODY_LIMIT = '1mb';

export interface WebhookRouteDeps {
  webhookSecrets(provider: WebhookProvider, fresh?: boolean): Promise<WebhookSecret[]>;
  /** Stores the raw body (`parsed` is the same body parsed, handed to the processor in memory). */
  accept(source: WebhookProvider, body: string, parsed: unknown): Promise<string>;
}

const OBJECT: Record<WebhookProvider, string> = { whatsapp: 'whatsapp_business_account', messenger: 'page' };
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const r = Router();
  for (const provider of ['whatsapp', 'messenger'] as const) {
    r.get(`/webhooks/${provider}`, (req, res) => verifyHandshake(deps, provider, req, res));
    r.post(`/webhooks/${provider}`, express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), (req, res) =>
      receive(deps, provider, req, res),
    );
  }
  return r;
}

async function verifyHandshake(
  deps: WebhookRouteDeps,
  provider: WebhookProvider,
  req: Request,
  res: Response,
): Promise<void> {
  const q = req.query as Record<string, unknown>;
  const mode = q['hub.mode'];
  const token = q['hub.verify_token'];
  const challenge = q['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || token === '') {
    throw new HttpError(
      403,
      'verification_failed',
      'Webhook verification failed: hub.mode must be "subscribe" with a hub.verify_token',
    );
  }
  if (typeof challenge !== 'string' || challenge === '' || challenge.length > 512) {
    throw new HttpError(400, 'invalid_input', 'hub.challenge is missing or too long');
  }
  const matches = (list: WebhookSecret[]) =>
    list.some((s) => s.verifyToken !== null && sameSecret(s.verifyToken, token));
  if (!matches(await deps.webhookSecrets(provider)) && !matches(await deps.webhookSecrets(provider, true))) {
    throw new HttpError(403, 'verification_failed', 'Webhook verification failed: the verify token matches no channel');
  }
  res.status(200).type('text/plain').send(challenge);
}

function signedBy(secrets: WebhookSecret[], raw: Buffer, signature: Buffer): boolean {
  let ok = false;
  for (const s of secrets) {
    if (!s.appSecret) continue;
    const expected = createHmac('sha256', s.appSecret).update(raw).digest();
    // No early exit: every secret is checked, in constant time each.
    if (timingSafeEqual(expected, signature)) ok = true;
  }
  return ok;
}

async function receive(deps: WebhookRouteDeps, provider: WebhookProvider, req: Request, res: Response): Promise<void> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const header = req.get('x-hub-signature-256') ?? '';
  const m = SIGNATURE.exec(header.trim());
  if (!m) throw new HttpError(401, 'invalid_signature', 'Missing or malformed X-Hub-Signature-256 header');
  const signature = Buffer.from(m[1], 'hex');
  if (
    !signedBy(await deps.webhookSecrets(provider), raw, signature) &&
    !signedBy(await deps.webhookSecrets(provider, true), raw, signature)
  ) {
    throw new HttpError(401, 'invalid_signature', 'The X-Hub-Signature-256 signature does not match');
  }
  const text = raw.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  const object = (body as { object?: unknown } | null)?.object;
  if (object !== OBJECT[provider]) {
    throw new HttpError(
      400,
      'wrong_object',
      `Expected a webhook with object "${OBJECT[provider]}" on /webhooks/${provider}`,
    );
  }
  try {
    if (provider === 'whatsapp') parseCloudEnvelope(body);
    else parseMessengerEnvelope(body);
  } catch (err) {
    throw new HttpError(400, 'invalid_envelope', `Malformed webhook envelope: ${describeZodError(err as ZodError)}`);
  }
  await deps.accept(provider, text, body);
  res.status(200).json({ received: true });
}
