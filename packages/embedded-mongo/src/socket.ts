// Where the embedded engine listens: a Unix domain socket (never TCP — the engine has no authentication, so only
// the owner of the socket may reach it). Prepares the socket's directory (created owner-only 0700, or a private
// temp folder; an existing one must be owned by this user and closed to others), replaces a stale socket file
// left by a killed process (refusing when a live server answers on it), tightens the socket to 0600 and removes
// it (and a temp folder) on close. Must never open a TCP listener nor touch a file that is not a socket it owns.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Longest socket path the kernel accepts (sun_path: 108 bytes on Linux, 104 on macOS/BSD, NUL included). */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/** True when `p` (made absolute) is short enough to be a socket path. */
export function fitsSocketPath(p: string): boolean {
  return Buffer.byteLength(path.resolve(p)) <= MAX_SOCKET_PATH_BYTES;
}

/** mongodb:// URI of a socket path: the host is the URL-encoded absolute path (the driver recognises `.sock`). */
export function socketUri(socketPath: string): string {
  return `mongodb://${encodeURIComponent(socketPath)}/?directConnection=true`;
}

export interface PreparedSocket {
  /** Absolute path of the socket file (not yet bound). */
  path: string;
  /** A private folder made for this server (removed with the socket on close), or null for a caller's path. */
  tempDir: string | null;
}

/**
 * Checks (or makes) the socket's place. With no path: a fresh private folder under the system temp folder.
 * Bad input (not `.sock`, too long, a folder open to others or another user's, a non-socket file in the way, a
 * live server on it) throws a clear error and changes nothing.
 */
export async function prepareSocket(requested: string | undefined): Promise<PreparedSocket> {
  if (requested === undefined) {
    const base = fitsSocketPath(path.join(os.tmpdir(), 'parley-db-000000000000', 'db.sock')) ? os.tmpdir() : '/tmp';
    // Like mkdtemp (mkdir fails on an existing name or symlink), but lowercase: drivers lowercase the hosts of a
    // hello reply and dial them when directConnection is off, so a mixed-case path would not be found again.
    const tempDir = path.join(base, `parley-db-${randomBytes(6).toString('hex')}`);
    fs.mkdirSync(tempDir, { mode: 0o700 });
    fs.chmodSync(tempDir, 0o700);
    return { path: path.join(tempDir, 'db.sock'), tempDir };
  }
  const abs = path.resolve(requested);
  if (!abs.endsWith('.sock')) {
    throw new Error(`socket path must end in .sock (that is how MongoDB drivers recognise it): ${abs}`);
  }
  if (!fitsSocketPath(abs)) {
    throw new Error(
      `socket path is ${Buffer.byteLength(abs)} bytes, longer than the ${MAX_SOCKET_PATH_BYTES} a socket path may have: ${abs}`,
    );
  }
  const dir = path.dirname(abs);
  checkPrivateDir(dir);
  await clearStaleSocket(abs);
  return { path: abs, tempDir: null };
}

/** Creates `dir` owner-only when missing; an existing one must be a folder of this user that others cannot enter. */
function checkPrivateDir(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700); // mkdir's mode is filtered by the umask
    st = fs.statSync(dir);
  }
  if (!st.isDirectory()) throw new Error(`socket folder ${dir} is not a folder`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new Error(`socket folder ${dir} belongs to another user (uid ${st.uid}); choose a folder of your own`);
  }
  if ((st.mode & 0o077) !== 0) {
    throw new Error(
      `socket folder ${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}); ` +
        `make it owner-only (chmod 700 ${dir}) or choose another socket path`,
    );
  }
}

/** A socket file nobody listens on (a killed server's) is removed; a live one, or any other file, is refused. */
async function clearStaleSocket(abs: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!st.isSocket()) throw new Error(`${abs} exists and is not a socket; remove it or choose another socket path`);
  const live = await new Promise<boolean>((resolve, reject) => {
    const probe = net.connect(abs);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') resolve(false);
      else reject(new Error(`cannot check the existing socket ${abs}: ${e.message}`));
    });
  });
  if (live) throw new Error(`another server is already listening on ${abs}; stop it or choose another socket path`);
  fs.rmSync(abs, { force: true });
}

/** After listen(): the socket file is owner-only (the folder already is). Returns its inode, to remove only it. */
export function lockDownSocket(abs: string): number {
  fs.chmodSync(abs, 0o600);
  return fs.lstatSync(abs).ino;
}

/** Removes the socket file if it is still the one this server bound (node usually has already), and a temp folder. */
export function removeSocket(prepared: PreparedSocket, ino: number | null): void {
  try {
    if (ino !== null && fs.lstatSync(prepared.path).ino === ino) fs.rmSync(prepared.path, { force: true });
  } catch {
    // already gone
  }
  if (prepared.tempDir) fs.rmSync(prepared.tempDir, { recursive: true, force: true });
}
