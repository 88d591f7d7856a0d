// File-backed durability for the embedded engine: a folder holding `mongod.lock`, `snapshot.bson` (full state as of
// generation G) and `journal.bson` (every commit since, as one checksummed frame of BSON records per group-commit batch).
// commit() resolves only after write + fdatasync; commits arriving while an fsync is in flight share the next one.
// Compaction writes snapshot.tmp → fsync → rename → fsync dir → fresh journal (tmp → rename), with a generation number
// in both headers so a crash between any two steps replays each acknowledged record from exactly one place.
// Must never acknowledge a commit before its bytes are fsync'ed, never drop a record silently from the middle of a
// file, and never import anything outside this package.
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeserializeOptions } from 'bson';
import type { JournalRecord, Persistence } from './types.js';
import { DEFAULT_DESERIALIZE_OPTIONS, describeTornFrame, encodeFrame, scanFrames, serializeDoc } from './frames.js';
import { acquireLock, type FolderLock } from './lock.js';
import { fsyncDir, probeWrite, readIfExists, writeAll } from './disk.js';
import { FORMAT_VERSION, fromRecord, headerGeneration, toRecord, unwrapNumbers } from './records.js';

export const JOURNAL_FILE = 'journal.bson';
export const SNAPSHOT_FILE = 'snapshot.bson';
const JOURNAL_TMP = 'journal.tmp';
const SNAPSHOT_TMP = 'snapshot.tmp';
const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;
/** Upper bound of one group-commit write (more queued commits wait for the next batch). */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Probe written (synced, then deleted) by recover() to check that the disk takes writes again. */
const PROBE_FILE = 'probe.tmp';
const PROBE_BYTES = 64 * 1024;
/** Target size of one snapshot frame. */
const SNAPSHOT_FRAME_BYTES = 4 * 1024 * 1024;

/** Points in compact() where tests can look at (e.g. copy) the folder as a crash there would leave it. */
export type CompactStep = 'snapshot-written' | 'snapshot-renamed' | 'journal-tmp-written' | 'journal-replaced';

export interface FilePersistenceOptions {
  /** Journal size that makes shouldCompact() true (default 64 MiB). */
  compactBytes?: number;
  /** Where warnings go (default console.warn). */
  log?: (message: string) => void;
  /** How documents are deserialized on open (default: exact BSON types, see frames.ts). */
  deserialize?: DeserializeOptions;
  /** Test hook, awaited after each compaction step. */
  onCompactStep?: (step: CompactStep) => void | Promise<void>;
}

export interface FilePersistenceStats {
  commits: number;
  records: number;
  batches: number;
  fsyncs: number;
  journalBytes: number;
  compactions: number;
  generation: number;
}

export interface FilePersistence extends Persistence {
  readonly dir: string;
  readonly stats: Readonly<FilePersistenceStats>;
}

interface PendingCommit {
  parts: Uint8Array[];
  bytes: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export function createFilePersistence(dir: string, opts: FilePersistenceOptions = {}): FilePersistence {
  return new FileStore(dir, opts);
}

class FileStore implements FilePersistence {
  readonly dir: string;
  readonly stats: FilePersistenceStats = {
    commits: 0,
    records: 0,
    batches: 0,
    fsyncs: 0,
    journalBytes: 0,
    compactions: 0,
    generation: 0,
  };
  private readonly compactBytes: number;
  private readonly log: (message: string) => void;
  private readonly deserializeOptions: DeserializeOptions;
  private readonly onCompactStep?: (step: CompactStep) => void | Promise<void>;
  private lock?: FolderLock;
  private journal?: FileHandle;
  private size = 0;
  private queue: PendingCommit[] = [];
  private flushing?: Promise<void>;
  private compacting?: Promise<void>;
  private holding = false;
  private failed?: Error;
  private state: 'new' | 'opening' | 'open' | 'closing' | 'closed' = 'new';

  constructor(dir: string, opts: FilePersistenceOptions) {
    this.dir = dir;
    this.compactBytes = opts.compactBytes && opts.compactBytes > 0 ? opts.compactBytes : DEFAULT_COMPACT_BYTES;
    this.log = opts.log ?? ((m) => console.warn(`[parley-db] ${m}`));
    this.deserializeOptions = opts.deserialize ?? DEFAULT_DESERIALIZE_OPTIONS;
    this.onCompactStep = opts.onCompactStep;
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  async open(): Promise<JournalRecord[]> {
    if (this.state !== 'new') throw new Error(`persistence for ${this.dir} was already opened`);
    this.state = 'opening';
    try {
      await mkdir(this.dir, { recursive: true });
      this.lock = await acquireLock(this.dir, this.dir, (pid) =>
        this.log(`took over the stale lock of ${this.dir} (pid ${pid ?? 'unknown'} is no longer running)`),
      );
    } catch (err) {
      this.state = 'closed';
      throw err;
    }
    try {
      await rm(this.path(SNAPSHOT_TMP), { force: true });
      await rm(this.path(JOURNAL_TMP), { force: true });
      const records: JournalRecord[] = [];
      const snapGen = await this.readSnapshot(records);
      const journalGen = await this.readJournal(records, snapGen);
      if (journalGen === undefined) {
        await this.replaceJournal(snapGen);
      } else {
        this.journal = await open(this.path(JOURNAL_FILE), 'r+');
      }
      this.stats.generation = snapGen;
      this.stats.journalBytes = this.size;
      this.state = 'open';
      return records;
    } catch (err) {
      await this.journal?.close().catch(() => undefined);
      this.journal = undefined;
      await this.lock.release();
      this.state = 'closed';
      throw err;
    }
  }

  /** Appends the snapshot's records; returns its generation (0 when there is none). */
  private async readSnapshot(out: JournalRecord[]): Promise<number> {
    const label = `${this.path(SNAPSHOT_FILE)}`;
    const buf = await readIfExists(this.path(SNAPSHOT_FILE));
    if (!buf) return 0;
    const scan = scanFrames(buf, label, this.deserializeOptions);
    if (scan.tornTail) {
      throw new Error(
        `${label} is incomplete (${scan.tornTail.reason} at byte ${scan.tornTail.offset}); it is only ever ` +
          'renamed into place complete, so the disk was damaged. Restore the folder from a backup.',
      );
    }
    const gen = headerGeneration(scan.frames[0], 'parley-snapshot', label);
    let count = 0;
    let ended = false;
    for (let f = 1; f < scan.frames.length; f++) {
      for (const doc of scan.frames[f]) {
        if (ended) throw new Error(`${label} has data after its end marker`);
        if (doc.t === 'end') {
          if (unwrapNumbers(doc.records) !== count)
            throw new Error(`${label} end marker says ${doc.records} records, found ${count}`);
          ended = true;
          continue;
        }
        out.push(toRecord(doc, label));
        count++;
      }
    }
    if (!ended) throw new Error(`${label} has no end marker; restore the folder from a backup`);
    return gen;
  }

  /** Appends the journal's records if it belongs to generation `snapGen`; returns its generation (undefined: none). */
  private async readJournal(out: JournalRecord[], snapGen: number): Promise<number | undefined> {
    const file = this.path(JOURNAL_FILE);
    const buf = await readIfExists(file);
    if (!buf) return undefined;
    const scan = scanFrames(buf, file, this.deserializeOptions);
    if (scan.frames.length === 0) {
      // journal.bson only ever appears through a rename after its header was fsynced: a missing or damaged
      // header is damage, not a crash mid-write, and replacing the file could throw acknowledged writes away.
      throw new Error(
        `${file} has a damaged header (${buf.length} bytes, no intact first frame); refusing to start so nothing ` +
          'is silently lost. Restore the folder from a backup or move the damaged file aside.',
      );
    }
    const gen = headerGeneration(scan.frames[0], 'parley-journal', file);
    if (gen < snapGen) {
      // A crash after the snapshot was renamed but before the journal was replaced: all of it is in the snapshot.
      this.log(`${file} (generation ${gen}) is already contained in snapshot generation ${snapGen}; replacing it`);
      return undefined;
    }
    if (gen > snapGen) {
      throw new Error(
        `${file} is generation ${gen} but ${this.path(SNAPSHOT_FILE)} is ` +
          (snapGen === 0 ? 'missing' : `generation ${snapGen}`) +
          '; the snapshot was lost. Restore the folder from a backup.',
      );
    }
    let n = 0;
    for (let f = 1; f < scan.frames.length; f++) {
      for (const doc of scan.frames[f]) {
        out.push(toRecord(doc, file));
        n++;
      }
    }
    if (scan.tornTail) {
      this.log(
        `${file}: dropped a torn final write of ${scan.tornTail.bytes} bytes at byte ${scan.tornTail.offset} ` +
          `(${scan.tornTail.reason}): ${describeTornFrame(buf, scan.tornTail.offset)}. Its fsync never completed, ` +
          `so its command was not acknowledged unless the disk lost synced data. Replayed ${n} records.`,
      );
      const fh = await open(file, 'r+');
      try {
        await fh.truncate(scan.goodBytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    this.size = scan.goodBytes;
    return gen;
  }

  /** Atomically replaces journal.bson with an empty journal of generation `gen` and opens it for appending. */
  private async replaceJournal(gen: number, hook = false): Promise<void> {
    const tmp = this.path(JOURNAL_TMP);
    const header = encodeFrame([serializeDoc({ t: 'header', format: 'parley-journal', version: FORMAT_VERSION, gen })]);
    const fh = await open(tmp, 'w');
    try {
      await writeAll(fh, header, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (hook) await this.onCompactStep?.('journal-tmp-written');
    await rename(tmp, this.path(JOURNAL_FILE));
    await fsyncDir(this.dir);
    const old = this.journal;
    this.journal = await open(this.path(JOURNAL_FILE), 'r+');
    await old?.close().catch(() => undefined);
    this.size = header.length;
    this.stats.journalBytes = this.size;
  }

  commit(records: JournalRecord[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.state !== 'open')
      return Promise.reject(new Error(`persistence for ${this.dir} is ${this.state}, not open`));
    let parts: Uint8Array[];
    let bytes = 0;
    try {
      parts = records.map((r) => {
        const p = serializeDoc(fromRecord(r));
        bytes += p.length;
        return p;
      });
    } catch (err) {
      return Promise.reject(err);
    }
    this.stats.commits++;
    this.stats.records += records.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ parts, bytes, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing || this.holding || this.queue.length === 0 || !this.journal) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      this.kick();
    });
  }

  /** Writes queued commits batch by batch: one write + one fdatasync per batch. Never rejects. */
  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0 && !this.holding && !this.failed && this.journal) {
      let take = 0;
      let bytes = 0;
      while (take < this.queue.length && (take === 0 || bytes + this.queue[take].bytes <= MAX_BATCH_BYTES)) {
        bytes += this.queue[take].bytes;
        take++;
      }
      const batch = this.queue.splice(0, take);
      try {
        const parts: Uint8Array[] = [];
        for (const c of batch) for (const p of c.parts) parts.push(p);
        if (parts.length > 0) {
          const frame = encodeFrame(parts);
          await writeAll(this.journal, frame, this.size);
          await this.journal.datasync();
          this.size += frame.length;
          this.stats.batches++;
          this.stats.fsyncs++;
          this.stats.journalBytes = this.size;
        }
        for (const c of batch) c.resolve();
      } catch (err) {
        this.fail(`journal write to ${this.path(JOURNAL_FILE)} failed`, err as Error, batch);
      }
    }
  }

  /** After a failed write or fsync nothing more can be acknowledged: every pending and later commit is rejected. */
  private fail(what: string, err: Error, batch: PendingCommit[] = []): void {
    this.failed ??= new Error(`${what}: ${err.message}; writes are refused until the disk takes writes again`, {
      cause: err,
    });
    const all = batch.concat(this.queue.splice(0));
    for (const c of all) c.reject(this.failed);
  }

  async recover(): Promise<void> {
    if (!this.failed) return;
    if (this.state !== 'open' || !this.journal) throw this.failed;
    await this.flushing;
    await probeWrite(this.path(PROBE_FILE), PROBE_BYTES);
    // The failed batch may have left part of a frame after the last synced one: cut it before appending again.
    await this.journal.truncate(this.size);
    await this.journal.datasync();
    this.log(`${this.path(JOURNAL_FILE)}: writes succeed again after a failure; accepting commits`);
    this.failed = undefined;
  }

  shouldCompact(): boolean {
    return this.state === 'open' && !this.compacting && !this.failed && this.size > this.compactBytes;
  }

  compact(state: () => Iterable<JournalRecord>): Promise<void> {
    if (this.state !== 'open')
      return Promise.reject(new Error(`persistence for ${this.dir} is ${this.state}, not open`));
    if (this.failed) return Promise.reject(this.failed);
    this.compacting ??= this.runCompaction(state).finally(() => {
      this.compacting = undefined;
      this.holding = false;
      this.kick();
    });
    return this.compacting;
  }

  private async runCompaction(state: () => Iterable<JournalRecord>): Promise<void> {
    // Hold new batches (they go to the new journal afterwards) and let the batch in flight finish in the old one.
    this.holding = true;
    await this.flushing;
    if (this.failed) throw this.failed;
    const newGen = this.stats.generation + 1;
    const tmp = this.path(SNAPSHOT_TMP);
    const fh = await open(tmp, 'w');
    try {
      let pos = 0;
      const header = encodeFrame([
        serializeDoc({
          t: 'header',
          format: 'parley-snapshot',
          version: FORMAT_VERSION,
          gen: newGen,
          createdAt: new Date(),
        }),
      ]);
      await writeAll(fh, header, pos);
      pos += header.length;
      let parts: Uint8Array[] = [];
      let bytes = 0;
      let count = 0;
      for (const rec of state()) {
        const p = serializeDoc(fromRecord(rec));
        parts.push(p);
        bytes += p.length;
        count++;
        if (bytes >= SNAPSHOT_FRAME_BYTES) {
          const frame = encodeFrame(parts);
          await writeAll(fh, frame, pos);
          pos += frame.length;
          parts = [];
          bytes = 0;
        }
      }
      parts.push(serializeDoc({ t: 'end', records: count }));
      await writeAll(fh, encodeFrame(parts), pos);
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    await this.onCompactStep?.('snapshot-written');
    await rename(tmp, this.path(SNAPSHOT_FILE));
    await fsyncDir(this.dir);
    this.stats.generation = newGen;
    // From here on the old journal is obsolete (a restart ignores it), so failing to replace it is fatal.
    try {
      await this.onCompactStep?.('snapshot-renamed');
      await this.replaceJournal(newGen, true);
    } catch (err) {
      this.fail(`compaction of ${this.dir} could not replace the journal`, err as Error);
      throw this.failed;
    }
    this.stats.compactions++;
    await this.onCompactStep?.('journal-replaced');
  }

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing' || this.state === 'new') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    await this.compacting?.catch(() => undefined);
    while (this.flushing || (this.queue.length > 0 && !this.failed)) {
      this.kick();
      await this.flushing;
    }
    await this.journal?.close().catch(() => undefined);
    this.journal = undefined;
    await this.lock?.release();
    this.state = 'closed';
  }
}
