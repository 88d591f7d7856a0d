// The media file store: files kept in the GridFS bucket `media` (metadata: contentType, filename, messageId) —
// inbound downloads and outbound attachments. Must never interpret a file's bytes (serving decides how) and never
// read messages.
import type { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { newId, toId, type Id } from './ids.js';

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
): Promise<Id> {
  const id = newId();
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
export async function openMediaStream(fileId: Id | string): Promise<MediaStream | null> {
  if (typeof fileId === 'string' && !mongoose.Types.ObjectId.isValid(fileId)) return null;
  const _id = toId(fileId);
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
export async function readMediaFile(fileId: Id): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucket().openDownloadStream(fileId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function deleteMediaFile(fileId: Id): Promise<void> {
  await bucket()
    .delete(fileId)
    .catch(() => {});
}

/** The media file store as one object (for services that take their stores as deps). */
export interface MediaFileStore {
  store: typeof storeMediaFile;
  open: typeof openMediaStream;
  read: typeof readMediaFile;
  delete: typeof deleteMediaFile;
}

export const mongoMediaFiles: MediaFileStore = {
  store: storeMediaFile,
  open: openMediaStream,
  read: readMediaFile,
  delete: deleteMediaFile,
};
