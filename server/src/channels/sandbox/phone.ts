// The simulated customer phone behind /sandbox: a tester's message becomes a signed Cloud-API webhook posted to
// this server's own /webhooks/whatsapp (with an ad referral after an ad tap), business replies arrive through
// sendSandbox and are streamed to open pages, and displaying a reply sends signed delivered + read statuses.
// Must never write to Parley's inbox directly (only through the webhook, like Meta) and never touch its records.
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { DEMO_ADS, type SandboxAd } from './demo-ads.js';
import { sandboxPhoneStore, phoneHub, toPhoneMessage, type PhoneEvent, type PhoneMessage } from './phone-store.js';
import { sandboxMessageId } from './send.js';
import { customerMessageBody, newClickId, postSignedWebhook, statusBody, type SandboxLine } from './webhook.js';

export interface SandboxChannel {
  id: string;
  phoneNumberId: string;
  appSecret: string;
  displayNumber: string | null;
}

export interface SandboxPhoneDeps {
  config: Pick<Config, 'BUSINESS_NAME'>;
  logger: Logger;
  channel(): Promise<SandboxChannel | null>;
  /** Ads seen in conversations' attributions (offered next to the demo ads). */
  seenAds(): Promise<Array<{ adId: string; headline?: string; sourceUrl?: string; mediaUrl?: string }>>;
  selfUrl(): string;
}

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export interface CustomerMessage {
  phone: string;
  name: string;
  text: string;
  adId?: string;
}

export class SandboxPhone {
  private readonly streams = new Set<() => void>();

  constructor(private readonly deps: SandboxPhoneDeps) {}

  private async line(): Promise<SandboxChannel> {
    const ch = await this.deps.channel();
    if (!ch) throw new SandboxError(503, 'sandbox_unavailable', 'No sandbox channel is configured.');
    return ch;
  }

  async info(): Promise<{ business: { name: string; displayNumber: string | null }; ads: SandboxAd[] }> {
    const ch = await this.line();
    return {
      business: { name: this.deps.config.BUSINESS_NAME, displayNumber: ch.displayNumber },
      ads: await this.ads(),
    };
  }

  async ads(): Promise<SandboxAd[]> {
    const seen = await this.deps.seenAds().catch(() => []);
    const extra: SandboxAd[] = seen
      .filter((a) => !DEMO_ADS.some((d) => d.id === a.adId))
      .map((a) => ({
        id: a.adId,
        headline: a.headline ?? `Ad ${a.adId}`,
        ...(a.mediaUrl ? { imageUrl: a.mediaUrl } : {}),
        ...(a.sourceUrl ? { sourceUrl: a.sourceUrl } : {}),
        demo: false,
      }));
    return [...DEMO_ADS, ...extra];
  }

  /** The tester's message, delivered to Parley as Meta would deliver it. */
  async send(m: CustomerMessage): Promise<PhoneMessage> {
    const ch = await this.line();
    let ad: SandboxAd | undefined;
    if (m.adId) {
      ad = (await this.ads()).find((a) => a.id === m.adId);
      if (!ad) throw new SandboxError(400, 'unknown_ad', 'That ad is not offered by the sandbox.');
    }
    const id = sandboxMessageId();
    const at = new Date();
    const body = customerMessageBody(lineOf(ch), {
      from: m.phone,
      name: m.name,
      id,
      text: m.text,
      at,
      ...(ad
        ? {
            ad: { adId: ad.id, headline: ad.headline, body: ad.body, imageUrl: ad.imageUrl, sourceUrl: ad.sourceUrl },
            clickId: newClickId(),
          }
        : {}),
    });
    try {
      await postSignedWebhook(this.deps.selfUrl(), ch.appSecret, body);
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).message }, 'sandbox webhook was not accepted');
      throw new SandboxError(
        502,
        'webhook_failed',
        `The inbox did not accept the simulated message: ${(err as Error).message}`,
      );
    }
    const doc = await sandboxPhoneStore.record({
      channelId: ch.id,
      phone: m.phone,
      from: 'customer',
      providerMessageId: id,
      kind: 'text',
      text: m.text,
      createdAt: at,
    });
    return toPhoneMessage(doc);
  }

  async history(phone: string): Promise<PhoneMessage[]> {
    const ch = await this.line();
    const rows = await sandboxPhoneStore.history(ch.id, phone);
    return rows.reverse().map(toPhoneMessage);
  }

  /** The phone displayed these replies: signed `delivered` then `read` webhooks, once per reply. */
  async markRead(phone: string, ids: string[]): Promise<number> {
    const ch = await this.line();
    let count = 0;
    for (const id of ids) {
      const doc = await sandboxPhoneStore.markRead(ch.id, phone, id);
      if (!doc) continue;
      try {
        for (const status of ['delivered', 'read'] as const) {
          await postSignedWebhook(
            this.deps.selfUrl(),
            ch.appSecret,
            statusBody(lineOf(ch), { id, status, recipient: phone, at: new Date() }),
          );
        }
        count++;
      } catch (err) {
        await sandboxPhoneStore.unmarkRead(doc._id);
        throw new SandboxError(
          502,
          'webhook_failed',
          `The inbox did not accept the read receipt: ${(err as Error).message}`,
        );
      }
    }
    return count;
  }

  async mediaFile(providerMessageId: string): Promise<{ data: Buffer; mimeType: string; filename: string } | null> {
    const doc = await sandboxPhoneStore.businessMessage(providerMessageId);
    if (!doc?.media?.data) return null;
    const raw = doc.media.data as unknown;
    const data = Buffer.isBuffer(raw) ? raw : Buffer.from((raw as { buffer: Uint8Array }).buffer);
    return { data, mimeType: doc.media.mimeType ?? 'application/octet-stream', filename: doc.media.filename ?? 'file' };
  }

  /** Live replies for one simulated phone; returns the unsubscribe function. */
  async openStream(phone: string, onMessage: (m: PhoneMessage) => void, onClose: () => void): Promise<() => void> {
    const ch = await this.line();
    const listener = (e: PhoneEvent) => {
      if (e.channelId === ch.id && e.phone === phone) onMessage(e.message);
    };
    phoneHub.on('message', listener);
    const close = () => {
      phoneHub.off('message', listener);
      this.streams.delete(close);
      onClose();
    };
    this.streams.add(close);
    return () => {
      phoneHub.off('message', listener);
      this.streams.delete(close);
    };
  }

  closeStreams(): void {
    for (const close of [...this.streams]) close();
  }
}

const lineOf = (ch: SandboxChannel): SandboxLine => ({
  phoneNumberId: ch.phoneNumberId,
  displayNumber: ch.displayNumber,
});
