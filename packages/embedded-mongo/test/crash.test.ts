// Crash test of the embedded engine's durability: a child process writes acknowledged documents and is SIGKILLed
// mid-stream; restarting on the same folder must show every acknowledged document exactly once. Also: the lock of a
// killed process is taken over, and a second live process on the same folder fails with the clear message.
// Embedded engine only (skipped when MONGODB_URI is set). Must never kill a process it did not start.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Binary, Double, Int32, Long, ObjectId, serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedServer } from '../src/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'crash-writer.ts');
const skip = process.env.MONGODB_URI ? 'MONGODB_URI is set: the crash test only applies to the embedded engine' : false;
const dirs: string[] = [];
const children = new Set<ChildProcess>();

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'parley-crash-'));
  dirs.push(d);
  return d;
}

interface Child {
  proc: ChildProcess;
  acks: number[];
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when `pred` holds for a line (or the ack count), rejects on exit or timeout. */
  waitFor(pred: () => boolean, what: string, ms?: number): Promise<void>;
}

function startChild(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const acks: number[] = [];
  const lines: string[] = [];
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const waiters = new Set<() => void>();
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
    else lines.push(line);
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('close', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pred: () => boolean, what: string, ms = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; stdout: ${lines.join(' | ')}; stderr: ${err}`));
      }, ms);
      const onExit = () => {
        setImmediate(() => {
          if (pred()) return check();
          cleanup();
          reject(new Error(`child exited before ${what}; stdout: ${lines.join(' | ')}; stderr: ${err}`));
        });
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        proc.off('close', onExit);
      };
      waiters.add(check);
      proc.once('close', onExit);
      check();
    });
  return { proc, acks, lines, stderr: () => err, exited, waitFor };
}

async function kill9(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  const { signal } = await child.exited;
  assert.equal(signal, 'SIGKILL');
}

/** Counts documents per seq in the folder's data, opening it in this process. */
async function readBack(dbpath: string): Promise<Map<number, number>> {
  const server = await startEmbeddedServer({ dbpath });
  const client = new MongoClient(server.uri);
  try {
    const docs = await client
      .db('crash')
      .collection('acks')
      .find({}, { projection: { seq: 1 } })
      .toArray();
    const counts = new Map<number, number>();
    for (const d of docs) counts.set(d.seq as number, (counts.get(d.seq as number) ?? 0) + 1);
    return counts;
  } finally {
    await client.close();
    await server.close();
  }
}

function assertExactlyOnce(counts: Map<number, number>, acked: number[]): void {
  const missing = acked.filter((s) => !counts.has(s));
  assert.deepStrictEqual(missing.slice(0, 10), [], `${missing.length} acknowledged documents lost`);
  const dups = [...counts].filter(([, n]) => n !== 1);
  assert.deepStrictEqual(dups.slice(0, 10), [], `${dups.length} seqs stored more than once`);
}

test(
  'every acknowledged write survives kill -9, exactly once, across repeated crashes and compactions',
  { skip, timeout: 180_000 },
  async () => {
    const dbpath = await tempDir();
    const acked: number[] = [];
    let nextSeq = 0;
    for (let round = 0; round < 3; round++) {
      // A small compactBytes makes the kills also land before, during and after compactions.
      const child = startChild(['write', dbpath, String(nextSeq), String(64 * 1024)]);
      const target = 300 + round * 150;
      await child.waitFor(() => child.acks.length >= target, `${target} acks (round ${round})`);
      await kill9(child);
      acked.push(...child.acks);
      nextSeq = Math.max(...acked) + 1000; // leave room: unacknowledged in-flight seqs may or may not be stored
      const counts = await readBack(dbpath);
      assertExactlyOnce(counts, acked);
      const unacked = [...counts.keys()].filter((s) => !acked.includes(s));
      assert.ok(unacked.length <= 8, `at most the in-flight writes appear unacknowledged (got ${unacked.length})`);
    }
    assert.ok((await readdir(dbpath)).includes('snapshot.bson'), 'the runs compacted at least once');
  },
);

test(
  'the lock of a kill -9ed process is taken over; a live holder makes a second process fail clearly',
  { skip, timeout: 120_000 },
  async () => {
    const dbpath = await tempDir();
    const holder = startChild(['hold', dbpath]);
    await holder.waitFor(() => holder.lines.some((l) => l.startsWith('ready')), 'the first process to start');
    const lock = await readFile(join(dbpath, 'mongod.lock'), 'utf8');
    assert.equal(lock.trim().split(/\s+/)[0], String(holder.proc.pid));

    const expected = `Data folder ${dbpath} is in use by another process (pid ${holder.proc.pid}); stop it or use another --dbpath`;
    const second = startChild(['hold', dbpath]);
    const { code } = await second.exited;
    assert.equal(code, 1, 'the second process exits with an error');
    assert.deepStrictEqual(second.lines, [`error ${expected}`]);
    await assert.rejects(startEmbeddedServer({ dbpath }), { message: expected });

    await kill9(holder);
    assert.equal((await readFile(join(dbpath, 'mongod.lock'), 'utf8')).trim().split(/\s+/)[0], String(holder.proc.pid));
    const third = startChild(['hold', dbpath]);
    await third.waitFor(
      () => third.lines.some((l) => l.startsWith('ready')),
      'a new process to take over the stale lock',
    );
    assert.equal((await readFile(join(dbpath, 'mongod.lock'), 'utf8')).trim().split(/\s+/)[0], String(third.proc.pid));
    await kill9(third);
    const server = await startEmbeddedServer({ dbpath });
    await server.close();
  },
);

test(
  'a clean restart keeps documents with their exact BSON types, indexes and unique constraints',
  { skip },
  async () => {
    const dbpath = await tempDir();
    const doc = {
      _id: new ObjectId(),
      i: new Int32(1),
      d: new Double(1),
      half: new Double(0.5),
      l: Long.fromNumber(7),
      big: Long.fromString('9007199254740993'),
      bin: new Binary(Buffer.from([0, 255]), 0x80),
      at: new Date('2024-02-03T04:05:06.007Z'),
      nested: { arr: [new Int32(2), new Double(3), 'x', [null]] },
    };
    let server = await startEmbeddedServer({ dbpath });
    let client = new MongoClient(server.uri);
    await client.db('keep').collection('docs').createIndex({ email: 1 }, { unique: true });
    await client.db('keep').collection('docs').createIndex({ at: 1 }, { expireAfterSeconds: 3600, name: 'ttl' });
    await client
      .db('keep')
      .collection<any>('docs')
      .insertOne({ ...doc, email: 'a@x.io' });
    await client.close();
    await server.close();

    server = await startEmbeddedServer({ dbpath });
    client = new MongoClient(server.uri);
    try {
      const coll = client.db('keep').collection<any>('docs');
      const back = await coll.findOne({ _id: doc._id }, { promoteValues: false, promoteLongs: false });
      assert.ok(back, 'the document is back');
      const exact = (v: unknown) => Buffer.from(serialize({ v })).toString('hex');
      for (const k of Object.keys(doc) as Array<keyof typeof doc>) {
        assert.equal(exact(back[k]), exact(doc[k]), `field ${k} keeps its BSON type and value`);
      }
      const idx = await coll.listIndexes().toArray();
      assert.equal(idx.find((i) => i.name === 'email_1')?.unique, true);
      assert.equal(idx.find((i) => i.name === 'ttl')?.expireAfterSeconds, 3600);
      const err = await coll.insertOne({ email: 'a@x.io' }).catch((e) => e);
      assert.equal(err.code, 11000, 'the unique index still holds after the restart');
    } finally {
      await client.close();
      await server.close();
    }
  },
);
