// The data folder's lock file (`mongod.lock`): holds "<pid> <process start time>" of the process that owns the folder.
// A live owner makes a second opener fail with a clear message; a dead owner's (stale) lock is taken over. The start
// time (Linux /proc) guards against pid reuse, and an in-process registry tells our own live lock from a stale one left
// by an earlier incarnation that had the same pid (containers). Must never delete a lock it does not own.
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const LOCK_FILE = 'mongod.lock';

/** Absolute lock paths held by this process (so a same-pid lock can be told apart from a stale one). */
const heldHere = new Set<string>();

export interface FolderLock {
  path: string;
  release(): Promise<void>;
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or undefined if unknown. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockOwner {
  pid: number;
  start?: string;
}

function parseOwner(text: string): LockOwner | undefined {
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, start: start || undefined };
}

/**
 * Whether the owner recorded in a lock file is still running. Our own pid on disk while we are claiming the folder
 * can only be an earlier incarnation of this process (same pid after a restart, as in containers): stale.
 */
function ownerIsLive(owner: LockOwner | undefined): boolean {
  if (!owner) return false; // empty or garbled lock: not a lock this code wrote whole
  if (owner.pid === process.pid) return false;
  if (!isAlive(owner.pid)) return false;
  if (owner.start) {
    const now = processStartTime(owner.pid);
    if (now !== undefined && now !== owner.start) return false; // pid reused by an unrelated process
  }
  return true;
}

function inUseError(displayDir: string, pid: number): Error {
  const err = new Error(
    `Data folder ${displayDir} is in use by another process (pid ${pid}); stop it or use another --dbpath`,
  );
  (err as NodeJS.ErrnoException).code = 'EDBPATHLOCKED';
  return err;
}

/**
 * Takes the folder's lock or throws. `displayDir` is the folder as the user named it (used in the message).
 * `onStale` is told when a dead owner's lock is taken over.
 */
export async function acquireLock(
  dir: string,
  displayDir: string,
  onStale?: (pid: number | undefined) => void,
): Promise<FolderLock> {
  const path = resolve(dir, LOCK_FILE);
  if (heldHere.has(path)) throw inUseError(displayDir, process.pid);
  heldHere.add(path); // claimed synchronously: a concurrent opener in this process fails above
  try {
    await takeLock(path, displayDir, onStale);
  } catch (err) {
    heldHere.delete(path);
    throw err;
  }
  const me = lockText();
  return {
    path,
    release: async () => {
      if (!heldHere.delete(path)) return;
      const text = await readFile(path, 'utf8').catch(() => '');
      if (text === me) await unlink(path).catch(() => undefined);
    },
  };
}

function lockText(): string {
  return `${process.pid} ${processStartTime(process.pid) ?? ''}`.trim() + '\n';
}

async function takeLock(path: string, displayDir: string, onStale?: (pid: number | undefined) => void): Promise<void> {
  const me = lockText();
  const tmp = `${path}.${process.pid}.tmp`;
  // Write the content first, then link() it into place: the lock appears atomically and never empty.
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(me);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(tmp, path);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // removed meanwhile: try again
      const owner = parseOwner(text);
      if (ownerIsLive(owner)) throw inUseError(displayDir, owner!.pid);
      // Stale: move it aside atomically, check we moved the stale one (not a fresh lock of a racing opener), retry.
      const aside = `${path}.stale-${process.pid}-${attempt}`;
      try {
        await rename(path, aside);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const moved = await readFile(aside, 'utf8').catch(() => '');
      if (moved !== text) {
        await rename(aside, path).catch(() => undefined);
        const racer = parseOwner(moved);
        if (racer && ownerIsLive(racer)) throw inUseError(displayDir, racer.pid);
        continue;
      }
      await unlink(aside).catch(() => undefined);
      onStale?.(owner?.pid);
    }
    throw new Error(
      `Could not take the lock ${path}: it keeps changing (several processes starting on ${displayDir}?)`,
    );
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
