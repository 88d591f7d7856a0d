// The whatsapp-web.js sample (payloads/wwebjs-message-raw.json) mapped to the normalized referral + text the
// resolver receives, with the ref code replaced by a real click's code. Test helper only.
import { samplePayload } from '../../helpers/webhooks.js';
import type { Referral } from '../../../server/src/channels/adapter.js';

export function normalizeWwebMessage(refCode: string): { referral: Referral; text: string } {
  const raw = JSON.parse(samplePayload('wwebjs-message-raw.json')) as {
    body: string;
    ctwaContext: { sourceUrl: string; title: string; description: string };
  };
  return {
    referral: {
      source: 'ctwa',
      sourceUrl: raw.ctwaContext.sourceUrl,
      headline: raw.ctwaContext.title,
      body: raw.ctwaContext.description,
    },
    text: raw.body.replace('[ref:K7Q2]', `[ref:${refCode}]`),
  };
}
