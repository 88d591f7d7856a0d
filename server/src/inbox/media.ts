// Inbound media: after a media message is stored, its file is fetched in the background through the channel
// adapter's fetchMedia, kept in the GridFS bucket `media` (metadata: messageId, contentType, filename), and the
// message's media state becomes stored (fileId, size) or unavailable; consumers get `message.updated`. The file
// calls themselves live in the media file store (re-exported here). Must never lose or alter the message's text
// when a download fails, never hold more than a few downloads at once, and never emit on sockets.
import type { ChannelAdapter, InboundMedia } from '../channels/adapter.js';
import type { Id } from '../data/ids.js';
import { deleteMediaFile, storeMediaFile } from '../data/media.js';
import { storesOf, type InboxDeps } from './conversations.js';
import { publishMessageUpdated } from '../events/publish.js';

// The media file store's calls, for the routes and services that already import them from here.
export {
  MEDIA_BUCKET,
  deleteMediaFile,
  openMediaStream,
  readMediaFile,
  storeMediaFile,
  type MediaStream,
} from '../data/media.js';

export interface MediaFetcherDeps extends InboxDeps {
  adapterFor(channelId: string): Promise<ChannelAdapter>;
  /** Waits between attempts (ms); three attempts in all. */
  retryDelaysMs?: number[];
  concurrency?: number;
}

/** Background downloader of inbound media (a small queue; retries; crash leftovers found by sweep()). */
export class InboundMediaFetcher {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: MediaFetcherDeps) {}

  schedule(messageId: string): void {
    if (this.stopped || this.queued.has(messageId)) return;
    this.queued.add(messageId);
    this.queue.push(messageId);
    this.pump();
  }

  /** Inbound media left pending by a crash (older than a minute, so not one being fetched right now). */
  async sweep(): Promise<void> {
    for (const id of await storesOf(this.deps).messages.staleInboundMedia()) this.schedule(String(id));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  private pump(): void {
    while (!this.stopped && this.queue.length && this.inFlight.size < (this.deps.concurrency ?? 4)) {
      const id = this.queue.shift()!;
      const p: Promise<void> = this.fetchOne(id)
        .catch((err) => this.deps.logger.error({ err, messageId: id }, 'inbound media handling failed'))
        .finally(() => {
          this.inFlight.delete(p);
          this.queued.delete(id);
          this.pump();
        });
      this.inFlight.add(p);
    }
  }

  private async fetchOne(messageId: string): Promise<void> {
    const { messages } = storesOf(this.deps);
    const msg = await messages.get(messageId);
    if (!msg?.media || msg.media.state !== 'pending') return;
    const media: InboundMedia = {
      ...(msg.media.providerMediaId ? { providerMediaId: msg.media.providerMediaId } : {}),
      ...(msg.media.url ? { url: msg.media.url } : {}),
      ...(msg.media.mimeType ? { mimeType: msg.media.mimeType } : {}),
      ...(msg.media.filename ? { filename: msg.media.filename } : {}),
    };
    const delays = this.deps.retryDelaysMs ?? [1_000, 4_000];
    let file = null;
    let failure: unknown = null;
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      try {
        const adapter = await this.deps.adapterFor(String(msg.channelId));
        file = await adapter.fetchMedia(media);
        failure = null;
        break;
      } catch (err) {
        failure = err;
        if (this.stopped || attempt === delays.length) break;
        await new Promise((r) => setTimeout(r, delays[attempt]).unref());
      }
    }
    if (this.stopped && failure) return; // leave it pending: the next start's sweep tries again
    let update: Record<string, unknown>;
    let fileId: Id | null = null;
    if (file && file.bytes.length > 0) {
      fileId = await storeMediaFile(file.bytes, { filename: file.filename, contentType: file.mimeType, messageId });
      update = {
        'media.state': 'stored',
        'media.fileId': fileId,
        'media.size': file.bytes.length,
        'media.mimeType': file.mimeType,
        'media.filename': file.filename,
      };
    } else {
      if (failure)
        this.deps.logger.warn(
          { messageId, err: String((failure as Error).message ?? failure) },
          'inbound media unavailable after retries',
        );
      update = { 'media.state': 'unavailable' };
    }
    const updated = await messages.settleMedia(msg._id, update);
    if (!updated) {
      if (fileId) await deleteMediaFile(fileId); // someone else finished it first
      return;
    }
    publishMessageUpdated(this.deps.bus, updated, { kind: 'system', id: 'media' });
  }
}
