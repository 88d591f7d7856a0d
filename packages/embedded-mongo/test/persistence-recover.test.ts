// Unit test of the file persistence's recovery after a failed fsync: every later commit is rejected until
// recover() succeeds (probe write, journal cut back to its last synced frame); afterwards commits are accepted
// and a restart replays exactly the acknowledged records. Must never touch folders outside its temp directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileHandle } from 'node:fs/promises';
import { openStore, tempDir } from './fixtures/persistence-util.js';

test('after a failed fsync commits are refused until recover() succeeds; nothing unacknowledged survives', async () => {
  const dir = await tempDir();
  const { p } = await openStore(dir);
  await p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 1 } }]);
  const journal = (p as unknown as { journal: FileHandle }).journal;
  const datasync = journal.datasync.bind(journal);
  journal.datasync = () => Promise.reject(new Error('ENOSPC: no space left on device'));
  await assert.rejects(p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 2 } }]), /ENOSPC/);
  await assert.rejects(p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 3 } }]), /ENOSPC/);
  await assert.rejects(p.recover!(), /ENOSPC/, 'recovery fails while the disk still fails');
  journal.datasync = datasync;
  await p.recover!();
  await p.commit([{ t: 'put', db: 'd', coll: 'c', doc: { _id: 4 } }]);
  await p.close();
  const { p: p2, records } = await openStore(dir);
  await p2.close();
  assert.deepEqual(
    records.map((r) => Number((r as unknown as { doc: { _id: unknown } }).doc._id)),
    [1, 4],
  );
});
