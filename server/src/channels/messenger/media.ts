// Downloads inbound Messenger attachments from the URL in the webhook (a signed CDN link; no token is sent).
// Returns null when the link is gone; throws on transient failures so the caller retries. Must never send the page
// token to a CDN and never touch models.
import type { InboundMedia, OutboundMedia } from '../adapter.js';
import { DownloadError, downloadBounded } from '../download.js';
import { defaultFilename } from '../whatsapp-cloud/media.js';

export async function fetchMessengerMedia(media: InboundMedia): Promise<OutboundMedia | null> {
  if (!media.url) return null;
  try {
    const got = await downloadBounded(media.url);
    const mimeType = media.mimeType ?? got.contentType?.split(';')[0] ?? 'application/octet-stream';
    return {
      bytes: got.bytes,
      mimeType,
      filename: media.filename ?? defaultFilename('messenger-attachment', mimeType),
    };
  } catch (err) {
    if (err instanceof DownloadError && err.gone) return null;
    throw err;
  }
}
