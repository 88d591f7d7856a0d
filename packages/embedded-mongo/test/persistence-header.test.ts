// Unit tests of the embedded engine's file persistence on a damaged journal header (truncated to a few bytes,
// zero-filled, emptied): the folder is refused, naming the file, and left untouched; a torn last frame is cut
// with a message saying what it held. Must never touch folders outside its own temp directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, quiet, tempDir } from './fixtures/persistence-util.js';

async function journalWithData(): Promise<string> {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  await p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 1, body: 'x' } }]);
  await p.close();
  return dir;
}

const damages: Array<[string, (file: string) => Promise<void>]> = [
  ['truncated to a few bytes', (f) => truncate(f, 5)],
  ['emptied', (f) => truncate(f, 0)],
  [
    'header zero-filled',
    async (f) => {
      const buf = await readFile(f);
      buf.fill(0, 0, 40);
      await writeFile(f, buf);
    },
  ],
  ['all zero-filled', async (f) => writeFile(f, Buffer.alloc((await stat(f)).size))],
];

for (const [name, damage] of damages) {
  test(`a journal whose header is damaged (${name}) is refused, naming the file, and kept`, async () => {
    const dir = await journalWithData();
    const file = join(dir, 'journal.bson');
    await damage(file);
    const before = await readFile(file);
    await assert.rejects(openStore(dir), (e: Error) => e.message.includes(file) && /damaged|corrupt/.test(e.message));
    assert.deepEqual(await readFile(file), before, 'the damaged journal is left as it was');
  });
}

test('a torn last frame is cut with a message naming what it held', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  await p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 1 } }]);
  const size = (await stat(join(dir, 'journal.bson'))).size;
  await p.commit([
    { t: 'put', db: 'd', coll: 'c', doc: { _id: 2 } },
    { t: 'del', db: 'd', coll: 'other', id: 1 },
    { t: 'put', db: 'd', coll: 'c', doc: { _id: 3, body: 'z'.repeat(200) } },
  ]);
  await p.close();
  await truncate(join(dir, 'journal.bson'), (await stat(join(dir, 'journal.bson'))).size - 50);
  const q = quiet();
  const { p: p2, records } = await openStore(dir, { log: q.log });
  await p2.close();
  assert.equal(records.filter((r) => r.t === 'put').length, 1);
  const msg = q.messages.join('\n');
  assert.match(msg, new RegExp(`torn final write of \\d+ bytes at byte ${size}`));
  assert.match(msg, /2 readable record\(s\) \(1 put, 1 del\) in d\.c, d\.other plus \d+ unreadable bytes/);
  assert.doesNotMatch(msg, /never acknowledged/);
});
