// Small file-system helpers for the persistence layer: whole-buffer positional writes, directory fsync (makes a rename
// durable), read-if-present and a probe write. Must never swallow an error other than "file does not exist".
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises';

export async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function writeAll(fh: FileHandle, buf: Uint8Array, position: number): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off, position + off);
    off += bytesWritten;
  }
}

/** Makes a rename durable: fsync the directory that holds the entry. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `bytes` zero bytes to `path`, syncs them and removes the file: rejects while the disk refuses writes. */
export async function probeWrite(path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await writeAll(fh, Buffer.alloc(bytes), 0);
    await fh.sync();
  } finally {
    await fh.close();
    await unlink(path).catch(() => undefined);
  }
}
