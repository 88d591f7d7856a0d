// Downloads inbound WhatsApp Cloud API media: GET {GRAPH}/{version}/{media-id} (bearer) → {url, mime_type} → GET url
// (bearer) → bytes. Returns null when WhatsApp has nothing (expired or deleted media); throws on transient failures
// so the caller retries. Must never log the access token or the signed media URL, and never touch models.
import type { InboundMedia, OutboundMedia } from '../adapter.js';
import { graphFetch, type GraphTarget } from '../graph.js';
import { DownloadError, downloadBounded, MAX_INBOUND_MEDIA_BYTES } from '../download.js';

export interface CloudMediaContext {
  graph: GraphTarget;
  accessToken: string;
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'application/pdf': 'pdf',
};

export function defaultFilename(prefix: string, mime: string): string {
  const base = mime.split(';')[0].trim();
  return `${prefix}.${EXT[base] ?? base.split('/')[1]?.replace(/[^a-z0-9]/gi, '') ?? 'bin'}`;
}

export async function fetchCloudMedia(ctx: CloudMediaContext, media: InboundMedia): Promise<OutboundMedia | null> {
  if (!media.providerMediaId) return null;
  const meta = await graphFetch<{ url?: string; mime_type?: string; file_size?: number }>(ctx.graph, {
    path: `/${encodeURIComponent(media.providerMediaId)}`,
    token: ctx.accessToken,
  });
  if (!meta.ok) {
    if (meta.error.status === 404 || meta.error.status === 400) return null; // unknown or expired media id
    throw new Error(`media lookup failed: ${meta.error.code} ${meta.error.message}`);
  }
  if (!meta.data.url) return null;
  if (meta.data.file_size && meta.data.file_size > MAX_INBOUND_MEDIA_BYTES) return null;
  try {
    const got = await downloadBounded(meta.data.url, { headers: { authorization: `Bearer ${ctx.accessToken}` } });
    const mimeType = meta.data.mime_type ?? media.mimeType ?? got.contentType ?? 'application/octet-stream';
    return {
      bytes: got.bytes,
      mimeType,
      filename: media.filename ?? defaultFilename(`whatsapp-${media.providerMediaId}`, mimeType),
    };
  } catch (err) {
    if (err instanceof DownloadError && err.gone) return null;
    throw err;
  }
}
