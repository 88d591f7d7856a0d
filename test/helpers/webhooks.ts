// Signed provider webhooks for tests: the env that bootstraps a WhatsApp Cloud channel and a Messenger page matching
// the sample payloads in test/fixtures/payloads, a signer, a poster, and a waiter for the intake processor.
// Must never bypass the HTTP webhook route (tests go through the same door as Meta).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from './server.js';

export const WA = {
  phoneNumberId: '109400000000001',
  appSecret: 'wa-test-app-secret',
  verifyToken: 'wa-verify-token',
  accessToken: 'wa-access-token',
  /** The number customers see, as the sample payloads' metadata.display_phone_number reports it. */
  displayNumber: '+34 910 000 001',
};
export const MS = {
  pageId: '200000000000001',
  appSecret: 'ms-test-app-secret',
  verifyToken: 'ms-verify-token',
  pageToken: 'ms-page-token',
};

export const CHANNEL_ENV: Record<string, string> = {
  WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
  WHATSAPP_ACCESS_TOKEN: WA.accessToken,
  WHATSAPP_APP_SECRET: WA.appSecret,
  WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
  WHATSAPP_DISPLAY_PHONE_NUMBER: WA.displayNumber,
  MESSENGER_PAGE_ID: MS.pageId,
  MESSENGER_PAGE_TOKEN: MS.pageToken,
  MESSENGER_APP_SECRET: MS.appSecret,
  MESSENGER_VERIFY_TOKEN: MS.verifyToken,
};

const PAYLOADS = join(import.meta.dirname, '..', 'fixtures', 'payloads');
/** A sample payload's raw text, exactly as stored in test/fixtures/payloads. */
export const samplePayload = (name: string) => readFileSync(join(PAYLOADS, name), 'utf8');

export const sign = (secret: string, body: string | Buffer) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export type PostOptions = { secret?: string | null; signature?: string; contentType?: string };

/**
 * POSTs a webhook to a test server (or a base URL). `opts` may be the app secret itself; by default the body is
 * signed with the env channel's secret for that provider.
 */
export async function postWebhook(
  target: TestServer | string,
  provider: 'whatsapp' | 'messenger',
  body: string | object,
  opts: PostOptions | string = {},
): Promise<{ status: number; body: any }> {
  const o: PostOptions = typeof opts === 'string' ? { secret: opts } : opts;
  const baseUrl = typeof target === 'string' ? target : target.baseUrl;
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const secret = o.secret === undefined ? (provider === 'whatsapp' ? WA.appSecret : MS.appSecret) : o.secret;
  const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json' };
  if (o.signature !== undefined) headers['x-hub-signature-256'] = o.signature;
  else if (secret) headers['x-hub-signature-256'] = sign(secret, raw);
  const res = await fetch(`${baseUrl}/webhooks/${provider}`, { method: 'POST', headers, body: raw });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

/** Waits until the intake processor has nothing left to do. */
export async function settle(srv: TestServer): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await srv.server.inbox.processor.whenIdle();
  }
}

/** A Cloud API text message webhook (`waId` is an alias of `from`: the sender's wa_id). */
export function cloudText(m: {
  id: string;
  from?: string;
  waId?: string;
  userId?: string;
  name?: string;
  text: string;
  ts?: number;
  phoneNumberId?: string;
  referral?: object;
}) {
  const from = m.from ?? m.waId;
  const contact: Record<string, unknown> = { profile: { name: m.name ?? 'Test Customer' } };
  if (from) contact.wa_id = from;
  if (m.userId) contact.user_id = m.userId;
  const message: Record<string, unknown> = {
    from: from ?? m.userId,
    id: m.id,
    timestamp: String(m.ts ?? Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body: m.text },
  };
  if (m.referral) message.referral = m.referral;
  return cloudValue({ contacts: [contact], messages: [message] }, m.phoneNumberId);
}

type StatusSpec = { id: string; status: string; ts?: number; errors?: object[]; phoneNumberId?: string };

/** A Cloud API status webhook: cloudStatus(id, status, opts?) or cloudStatus({ id, status, phoneNumberId, … }). */
export function cloudStatus(
  idOrSpec: string | StatusSpec,
  status?: string,
  opts: Omit<StatusSpec, 'id' | 'status'> = {},
) {
  const spec: StatusSpec = typeof idOrSpec === 'string' ? { id: idOrSpec, status: status!, ...opts } : idOrSpec;
  const s: Record<string, unknown> = {
    id: spec.id,
    status: spec.status,
    timestamp: String(spec.ts ?? Math.floor(Date.now() / 1000)),
    recipient_id: '34612345678',
  };
  if (spec.errors) s.errors = spec.errors;
  return cloudValue({ statuses: [s] }, spec.phoneNumberId);
}

export function cloudValue(value: object, phoneNumberId = WA.phoneNumberId) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '34910000001', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}
