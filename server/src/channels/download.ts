// Bounded HTTP download of inbound media (provider CDN links). Shared by the channel adapters' fetchMedia.
// Must never buffer more than the limit, never follow a non-http(s) URL, and never log URLs with tokens.

export const MAX_INBOUND_MEDIA_BYTES = 100 * 1024 * 1024;

export interface Downloaded {
  bytes: Buffer;
  contentType: string | null;
}

export class DownloadError extends Error {
  constructor(
    message: string,
    /** 404/410: the provider has nothing (expired, deleted) — retrying will not help. */
    readonly gone: boolean,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

export async function downloadBounded(
  url: string,
  opts: { headers?: Record<string, string>; maxBytes?: number; timeoutMs?: number } = {},
): Promise<Downloaded> {
  if (!/^https?:\/\//i.test(url)) throw new DownloadError('media URL is not http(s)', true);
  const max = opts.maxBytes ?? MAX_INBOUND_MEDIA_BYTES;
  const res = await fetch(url, {
    headers: opts.headers,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    redirect: 'follow',
  });
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new DownloadError(`media download answered HTTP ${res.status}`, res.status === 404 || res.status === 410);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    throw new DownloadError(`media is larger than ${max} bytes`, true);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > max) throw new DownloadError(`media is larger than ${max} bytes`, true);
      chunks.push(Buffer.from(chunk));
    }
  }
  return { bytes: Buffer.concat(chunks), contentType: res.headers.get('content-type') };
}
