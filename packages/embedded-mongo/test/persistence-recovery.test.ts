// Unit tests of the embedded engine's file persistence on damaged or contested folders: torn final writes are cut
// off with a warning, corruption in the middle is a clear error, and the folder lock refuses live owners and takes
// over stale ones. Must never kill a process it did not start or touch folders outside its own temp directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Document } from 'bson';
import { openStore, quiet, tempDir } from './fixtures/persistence-util.js';

async function journalWithThreeCommits(): Promise<{ dir: string; sizes: number[] }> {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  const sizes = [(await stat(join(dir, 'journal.bson'))).size];
  for (let i = 0; i < 3; i++) {
    await p.commit([
      { t: 'put', db: 'd', coll: 'c', doc: { _id: i, body: 'b'.repeat(100) } },
      { t: 'del', db: 'd', coll: 'c', id: -i },
    ]);
    sizes.push((await stat(join(dir, 'journal.bson'))).size);
  }
  await p.close();
  return { dir, sizes };
}

const tornCases: Array<[string, (file: string, sizes: number[]) => Promise<void>]> = [
  ['body cut short', (f, s) => truncate(f, s[3] - 3)],
  ['length prefix cut short', (f, s) => truncate(f, s[2] + 3)],
  ['garbage half-frame appended', (f) => appendFile(f, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]))],
  ['zero-filled tail', (f) => appendFile(f, Buffer.alloc(4096))],
  [
    'last frame checksum broken',
    async (f, s) => {
      const b = await readFile(f);
      b[s[2] + 20] ^= 0xff;
      await writeFile(f, b);
    },
  ],
];
for (const [name, damage] of tornCases) {
  test(`torn tail (${name}) is truncated away with a warning, and the journal stays appendable`, async () => {
    const { dir, sizes } = await journalWithThreeCommits();
    const file = join(dir, 'journal.bson');
    await damage(file, sizes);
    const q = quiet();
    const { p, records } = await openStore(dir, { log: q.log });
    const expectCommits = name === 'garbage half-frame appended' || name === 'zero-filled tail' ? 3 : 2;
    assert.equal(records.length, expectCommits * 2);
    assert.match(q.messages.join('\n'), /torn final write/);
    assert.equal((await stat(file)).size, sizes[expectCommits]);
    await p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 'after' } }]);
    await p.close();
    const { p: p2, records: again } = await openStore(dir);
    await p2.close();
    assert.equal(again.length, expectCommits * 2 + 1);
    assert.deepStrictEqual((again.at(-1) as { doc: Document }).doc, { _id: 'after' });
  });
}

test('corruption in the middle of the journal is a clear error and changes nothing', async () => {
  const { dir, sizes } = await journalWithThreeCommits();
  const file = join(dir, 'journal.bson');
  const b = await readFile(file);
  b[sizes[1] + 30] ^= 0xff;
  await writeFile(file, b);
  await assert.rejects(openStore(dir), /journal\.bson is corrupt at byte \d+ \(frame 2\).*intact data follows/);
  assert.ok((await readFile(file)).equals(b), 'the damaged file is left untouched');
  assert.ok(!(await readdir(dir)).includes('mongod.lock'), 'the lock is released after a failed open');
});

test('the lock refuses a second opener with a clear message and is removed on close', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  assert.equal((await readFile(join(dir, 'mongod.lock'), 'utf8')).split(' ')[0].trim(), String(process.pid));
  await assert.rejects(openStore(dir), {
    message: `Data folder ${dir} is in use by another process (pid ${process.pid}); stop it or use another --dbpath`,
  });
  await p.close();
  assert.ok(!(await readdir(dir)).includes('mongod.lock'));
  const { p: p2 } = await openStore(dir);
  await p2.close();
});

test('a lock held by another live process refuses; once it is dead the stale lock is taken over', async () => {
  const dir = await tempDir();
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await writeFile(join(dir, 'mongod.lock'), `${child.pid}\n`);
    await assert.rejects(openStore(dir), {
      message: `Data folder ${dir} is in use by another process (pid ${child.pid}); stop it or use another --dbpath`,
    });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  const q = quiet();
  const { p } = await openStore(dir, { log: q.log });
  assert.match(q.messages.join('\n'), new RegExp(`took over the stale lock .*pid ${child.pid}`));
  assert.equal((await readFile(join(dir, 'mongod.lock'), 'utf8')).split(' ')[0].trim(), String(process.pid));
  await p.close();
});

test('a stale lock with our own pid (restarted container) or garbage content is taken over', async () => {
  for (const content of [`${process.pid} 1\n`, `${process.pid}\n`, 'not a pid', '']) {
    const dir = await tempDir();
    await writeFile(join(dir, 'mongod.lock'), content);
    const { p } = await openStore(dir);
    await p.close();
  }
});
