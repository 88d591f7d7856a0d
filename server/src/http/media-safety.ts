// How stored media (console attachments, downloaded provider media, sandbox phone files) is served: the real type
// is sniffed from the file's first bytes with `file-type`, and only a passive image/audio/video/PDF type on the
// allow-list below is served inline (with that sniffed type); everything else is application/octet-stream as an
// attachment. Every media response also gets nosniff, a CSP that forbids everything (sandboxed) and a same-origin
// CORP. Must never trust the type an uploader or provider declared, never serve HTML, SVG, XML, JavaScript, text
// or an unknown type inline, and never put an unsanitised file name into a header.
import { Readable } from 'node:stream';
import type { Response } from 'express';
import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes are sniffed (file-type needs ~4 KB for the formats below). */
export const SNIFF_BYTES = 4100;

/** Sniffed type (file-type's name) → the type it is served inline as. Nothing else is ever inline. */
const INLINE_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/apng': 'image/png',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
  'audio/ogg': 'audio/ogg',
  'audio/ogg; codecs=opus': 'audio/ogg',
  'audio/opus': 'audio/ogg',
  'audio/mpeg': 'audio/mpeg',
  'audio/mp4': 'audio/mp4',
  'audio/x-m4a': 'audio/mp4',
  'audio/aac': 'audio/aac',
  'audio/amr': 'audio/amr',
  'audio/webm': 'audio/webm',
  'video/mp4': 'video/mp4',
  'video/3gpp': 'video/3gpp',
  'video/webm': 'video/webm',
  'application/pdf': 'application/pdf',
};

export const MEDIA_CSP = "default-src 'none'; sandbox";

export interface ServePlan {
  /** The Content-Type sent: an allow-listed sniffed type, or application/octet-stream. */
  contentType: string;
  disposition: 'inline' | 'attachment';
}

/** Decides how a file is served from its first bytes only (the declared type plays no part). */
export async function planMediaServing(head: Uint8Array): Promise<ServePlan> {
  let sniffed: string | undefined;
  try {
    sniffed = (await fileTypeFromBuffer(head.subarray(0, SNIFF_BYTES)))?.mime;
  } catch {
    sniffed = undefined; // a malformed header is "unknown", never an error for the reader
  }
  const inline = sniffed ? INLINE_TYPES[sniffed] : undefined;
  return inline
    ? { contentType: inline, disposition: 'inline' }
    : { contentType: 'application/octet-stream', disposition: 'attachment' };
}

/** A file name fit for a header: no control characters, quotes or path separators; at most 200 chars. */
export function safeFilename(name: string | null | undefined): string {
  const base = String(name ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"/\\]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return base || 'file';
}

/** RFC 6266 Content-Disposition: an ASCII-only quoted fallback plus filename* (RFC 8187 UTF-8 encoding). */
export function contentDisposition(disposition: ServePlan['disposition'], name: string | null | undefined): string {
  const clean = safeFilename(name);
  const ascii = clean.replace(/[^\w.\- ()[\]+,=@]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Sets the type, disposition and protective headers of a media response (before any byte is written). */
export function setMediaHeaders(res: Response, plan: ServePlan, filename: string | null | undefined): void {
  res.setHeader('Content-Type', plan.contentType);
  res.setHeader('Content-Disposition', contentDisposition(plan.disposition, filename));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', MEDIA_CSP);
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * Reads up to `bytes` leading bytes of a stream without losing them: returns them and a stream that yields the
 * whole content again (head first, then the rest). Errors of the source surface on the returned stream.
 */
export async function peekStream(source: Readable, bytes = SNIFF_BYTES): Promise<{ head: Buffer; stream: Readable }> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const seen: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    seen.push(chunk);
    size += chunk.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  const stream = Readable.from(replay(), { objectMode: false });
  stream.once('close', () => {
    if (!source.destroyed) source.destroy();
  });
  return { head: Buffer.concat(seen).subarray(0, bytes), stream };
}
