// Builds and signs Cloud-API-format webhook bodies for the simulated phone (a customer message, optionally with an
// ad referral; delivery statuses), exactly as Meta would send them, and posts them to this server's own
// /webhooks/whatsapp. Must never skip the signature: the sandbox goes through the same door as Meta.
import { createHmac, randomBytes } from 'node:crypto';

export interface SandboxLine {
  phoneNumberId: string;
  displayNumber: string | null;
}

export interface SandboxAdReferral {
  adId: string;
  headline: string;
  body?: string;
  imageUrl?: string;
  sourceUrl?: string;
}

const WABA_ID = '100000000000000';
const digits = (s: string | null) => (s ?? '').replace(/\D/g, '') || '15550100';
const envelope = (line: SandboxLine, value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: WABA_ID,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: digits(line.displayNumber), phone_number_id: line.phoneNumberId },
            ...value,
          },
        },
      ],
    },
  ],
});

export const newClickId = () => `ARA${randomBytes(18).toString('base64url')}`;

export function customerMessageBody(
  line: SandboxLine,
  m: { from: string; name: string; id: string; text: string; at: Date; ad?: SandboxAdReferral; clickId?: string },
): string {
  const message: Record<string, unknown> = {
    from: m.from,
    id: m.id,
    timestamp: String(Math.floor(m.at.getTime() / 1000)),
    type: 'text',
    text: { body: m.text },
  };
  if (m.ad) {
    message.referral = {
      source_url: m.ad.sourceUrl ?? 'https://example.invalid/sandbox-ad',
      source_id: m.ad.adId,
      source_type: 'ad',
      headline: m.ad.headline,
      ...(m.ad.body ? { body: m.ad.body } : {}),
      ...(m.ad.imageUrl ? { media_type: 'image', image_url: m.ad.imageUrl } : {}),
      ctwa_clid: m.clickId ?? newClickId(),
    };
  }
  return JSON.stringify(
    envelope(line, { contacts: [{ profile: { name: m.name }, wa_id: m.from }], messages: [message] }),
  );
}

export function statusBody(
  line: SandboxLine,
  s: { id: string; status: 'delivered' | 'read'; recipient: string; at: Date },
): string {
  return JSON.stringify(
    envelope(line, {
      statuses: [
        { id: s.id, status: s.status, timestamp: String(Math.floor(s.at.getTime() / 1000)), recipient_id: s.recipient },
      ],
    }),
  );
}

export const signature = (appSecret: string, body: string) =>
  `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;

/** POSTs a signed body to this server's /webhooks/whatsapp; throws unless it was accepted (200). */
export async function postSignedWebhook(baseUrl: string, appSecret: string, body: string): Promise<void> {
  const res = await fetch(`${baseUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature(appSecret, body) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text().catch(() => '');
  if (res.status !== 200) throw new Error(`the webhook answered ${res.status} ${text.slice(0, 200)}`);
}
