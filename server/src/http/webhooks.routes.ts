// Provider webhooks (no session, mounted before the JSON parser): GET /webhooks/{whatsapp,messenger} answers Meta's
// verify handshake; POST reads the RAW body (1 MB max → 413) and checks X-Hub-Signature-256 with timingSafeEqual
// against the app secret of the channel EACH part is addressed to (phone_number_id / page id): one channel's secret
// never signs for another channel. A delivery with any part whose channel's secret does not match is refused whole
// (401, nothing stored; Meta retries a refused delivery, and one delivery is signed by one app). Parts addressed to
// no known channel (ignored later by the processor) and bodies without routing keys need a signature by some
// channel of the provider, as before. Then it checks the envelope (→ 400), stores the raw body durably and only
// then answers 200 and wakes the processor. Must never store anything before the signature is verified, and never
// answer 2xx before the event is stored.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { WebhookProvider } from '../channels/capabilities.js';
import type { WebhookSecret } from '../channels/registry.js';
import { parseCloudEnvelope, splitCloudByRoutingKey } from '../channels/whatsapp-cloud/normalize.js';
import { parseMessengerEnvelope, splitMessengerByRoutingKey } from '../channels/messenger/normalize.js';
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

const signs = (secret: string | null, raw: Buffer, signature: Buffer): boolean =>
  secret !== null && secret !== '' && timingSafeEqual(createHmac('sha256', secret).update(raw).digest(), signature);

/** Some channel of the provider signed it (every secret checked, in constant time each: no early exit). */
function signedByAny(secrets: WebhookSecret[], raw: Buffer, signature: Buffer): boolean {
  let ok = false;
  for (const s of secrets) if (signs(s.appSecret, raw, signature)) ok = true;
  return ok;
}

/**
 * Every routing key addressed to a known channel is signed by that channel's secret (several channels may share
 * one routing key only in theory; then any of them). Keys of no known channel, or no keys at all, need some
 * channel's signature.
 */
function signedForEveryPart(secrets: WebhookSecret[], keys: string[], raw: Buffer, signature: Buffer): boolean {
  let unknown = keys.length === 0;
  let ok = true;
  for (const key of new Set(keys)) {
    const owners = secrets.filter((s) => s.routingKey === key);
    if (owners.length === 0) unknown = true;
    else if (!signedByAny(owners, raw, signature)) ok = false;
  }
  if (unknown && !signedByAny(secrets, raw, signature)) ok = false;
  return ok;
}

/** The routing keys of a parsed body, or null when the body is not a well-formed envelope of the provider. */
function routingKeys(provider: WebhookProvider, body: unknown): string[] | null {
  try {
    const parts = provider === 'whatsapp' ? splitCloudByRoutingKey(body) : splitMessengerByRoutingKey(body);
    return parts.map((p) => p.routingKey);
  } catch {
    return null;
  }
}

async function receive(deps: WebhookRouteDeps, provider: WebhookProvider, req: Request, res: Response): Promise<void> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const header = req.get('x-hub-signature-256') ?? '';
  const m = SIGNATURE.exec(header.trim());
  if (!m) throw new HttpError(401, 'invalid_signature', 'Missing or malformed X-Hub-Signature-256 header');
  const signature = Buffer.from(m[1], 'hex');
  // Parsed only to learn which channels the parts are addressed to; nothing is stored before the check below.
  const text = raw.toString('utf8');
  let body: unknown;
  let parsed = true;
  try {
    body = JSON.parse(text);
  } catch {
    parsed = false;
  }
  const keys = parsed ? (routingKeys(provider, body) ?? []) : [];
  const verified = async (fresh: boolean) =>
    signedForEveryPart(await deps.webhookSecrets(provider, fresh), keys, raw, signature);
  if (!(await verified(false)) && !(await verified(true))) {
    throw new HttpError(
      401,
      'invalid_signature',
      'The X-Hub-Signature-256 signature does not match the app secret of the channel the event is addressed to',
    );
  }
  if (!parsed) throw new HttpError(400, 'invalid_json', 'Request body is not valid JSON');
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
