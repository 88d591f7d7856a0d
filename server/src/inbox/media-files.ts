// Media bytes in GridFS (bucket `media`): inbound media fetched from providers and outbound attachments from the
// composer. Served only through the authenticated media route. Must never expose files by guessable public URL.
import { Readable } from 'node:stream';
import mongoose, { Types, type Connection } from 'mongoose';

export interface StoredFile {
  fileId: Types.ObjectId;
  size: number;
}

export class MediaFiles {
  constructor(private readonly connection: Connection = mongoose.connection) {}

  private bucket() {
    if (!this.connection.db) throw new Error('database not connected');
    return new mongoose.mongo.GridFSBucket(this.connection.db, { bucketName: 'media' });
  }

  async save(bytes: Buffer, meta: { contentType: string; filename: string; messageId?: string }): Promise<StoredFile> {
    const upload = this.bucket().openUploadStream(meta.filename, {
      metadata: { contentType: meta.contentType, messageId: meta.messageId ?? null },
    });
    await new Promise<void>((resolve, reject) => {
      Readable.from([bytes]).pipe(upload).on('finish', () => resolve()).on('error', reject);
    });
    return { fileId: upload.id as Types.ObjectId, size: bytes.length };
  }

  async read(fileId: Types.ObjectId): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket().openDownloadStream(fileId)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** A download stream and the file's stored length, or null when the file does not exist. */
  async open(fileId: Types.ObjectId): Promise<{ stream: NodeJS.ReadableStream; length: number } | null> {
    const [file] = await this.bucket().find({ _id: fileId }).limit(1).toArray();
    if (!file) return null;
    return { stream: this.bucket().openDownloadStream(fileId), length: file.length };
  }

  async remove(fileId: Types.ObjectId): Promise<void> {
    await this.bucket().delete(fileId);
  }
}
