// Inbound media: after a media message is stored, its file is fetched in the background through the channel
// adapter's fetchMedia, kept in the GridFS bucket `media` (metadata: messageId, contentType, filename), and the
// message's media state becomes stored (fileId, size) or unavailable; consumers get `message.updated`. Also opens
// stored files for the authenticated media route. Must never lose or alter the message's text when a download
// fails, never hold more than a few downloads at once, and never emit on sockets.
import type { Readable } from 'node:stream';
import mongoose, { Types } from 'mongoose';
import type { ChannelAdapter, InboundMedia } from '../channels/adapter.js';
import { MessageModel } from '../models/message.js';
import type { InboxDeps } from './conversations.js';
import { publishMessageUpdated } from '../events/publish.js';

export const MEDIA_BUCKET = 'media';

function bucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: MEDIA_BUCKET });
}

/** Stores bytes in the media bucket; returns the file id. */
export async function storeMediaFile(
  bytes: Buffer,
  meta: { filename: string; contentType: string; messageId?: string },
): Promise<Types.ObjectId> {
  const id = new Types.ObjectId();
  const upload = bucket().openUploadStreamWithId(id, meta.filename, {
    metadata: {
      contentType: meta.contentType,
      filename: meta.filename,
      ...(meta.messageId ? { messageId: meta.messageId } : {}),
    },
  });
  await new Promise<void>((resolve, reject) => {
    upload.once('error', reject);
    upload.once('finish', () => resolve());
    upload.end(bytes);
  });
  return id;
}

export interface MediaStream {
  stream: Readable;
  length: number;
  contentType: string;
  filename: string;
}

/** A stored media file as a stream (for the authenticated media route), or null when it does not exist. */
export async function openMediaStream(fileId: Types.ObjectId | string): Promise<MediaStream | null> {
  if (typeof fileId === 'string' && !Types.ObjectId.isValid(fileId)) return null;
  const _id = typeof fileId === 'string' ? new Types.ObjectId(fileId) : fileId;
  const b = bucket();
  const [file] = await b.find({ _id }).limit(1).toArray();
  if (!file) return null;
  const meta = (file.metadata ?? {}) as { contentType?: string; filename?: string };
  return {
    stream: b.openDownloadStream(_id),
    length: file.length,
    contentType: meta.contentType ?? 'application/octet-stream',
    filename: meta.filename ?? file.filename,
  };
}

/** A stored file's bytes (outbound attachments are read back when the outbox sends them). */
export async function readMediaFile(fileId: Types.ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucket().openDownloadStream(fileId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function deleteMediaFile(fileId: Types.ObjectId): Promise<void> {
  await bucket()
    .delete(fileId)
    .catch(() => {});
}

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
    const rows = await MessageModel.find({
      direction: 'in',
      'media.state': 'pending',
      createdAt: { $lt: new Date(Date.now() - 60_000) },
    })
      .select('_id')
      .limit(50)
      .lean();
    for (const r of rows) this.schedule(String(r._id));
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
    const msg = await MessageModel.findById(messageId).lean();
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
    let fileId: Types.ObjectId | null = null;
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
    const updated = await MessageModel.findOneAndUpdate(
      { _id: msg._id, 'media.state': 'pending' },
      { $set: update },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) {
      if (fileId) await deleteMediaFile(fileId); // someone else finished it first
      return;
    }
    publishMessageUpdated(this.deps.bus, updated, { kind: 'system', id: 'media' });
  }
}
