// The running app exposes no unauthenticated database listener: the real entry point (server/src/index.ts, as
// `npm start` runs it, durable embedded engine on DATA_DIR) is started in a child process, every TCP port that
// process listens on (read from /proc) is dialled with a MongoDB client, and none answers `listCollections`. The
// engine is reachable only through <DATA_DIR>/run/db.sock (0600 in a 0700 folder); after a kill -9 its stale
// socket is replaced on the next start. Linux only (/proc); must never leave the child running.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MongoClient } from 'mongodb';
import { stopProcess } from '../../helpers/app-process.js';

const skip = process.platform === 'linux' ? false : 'reads listening sockets from /proc (Linux only)';
const ENTRY = join(import.meta.dirname, '..', '..', '..', 'server', 'src', 'index.ts');
const children: ChildProcess[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of children) await stopProcess(c, 'SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** `node --import tsx server/src/index.ts` with only the env `npm start` would have; resolves once it serves. */
async function startApp(dataDir: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DOTENV_CONFIG_PATH: join(dataDir, 'no.env'), // never a developer's .env (it could set MONGODB_URI)
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start within 60 s:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('Parley console:')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited early (${code}):\n${out}`));
    });
  });
  return proc;
}

/** TCP ports (v4 and v6) in LISTEN state whose socket belongs to `pid` (any of its threads). */
function listeningPorts(pid: number): { host: string; port: number }[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const found: { host: string; port: number }[] = [];
  for (const [file, loopback] of [
    ['tcp', '127.0.0.1'],
    ['tcp6', '[::1]'],
  ] as const) {
    const lines = fs.readFileSync(`/proc/${pid}/net/${file}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      const [, localPort] = cols[1].split(':');
      if (cols[3] === '0A' && inodes.has(cols[9])) found.push({ host: loopback, port: parseInt(localPort, 16) });
    }
  }
  return found;
}

/** The error of an unauthenticated `listCollections` on host:port, or null when the port answered it. */
async function listCollectionsError(host: string, port: number): Promise<Error | null> {
  const client = new MongoClient(`mongodb://${host}:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 1_500,
    connectTimeoutMS: 1_500,
  });
  try {
    await client.db('parley').listCollections().toArray();
    return null;
  } catch (e) {
    return e as Error;
  } finally {
    await client.close().catch(() => {});
  }
}

test(
  'no TCP port of a running app accepts an unauthenticated listCollections; the engine is on an owner-only socket',
  { skip, timeout: 180_000 },
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-nodb-'));
    dirs.push(dataDir);
    let app = await startApp(dataDir);

    const ports = listeningPorts(app.pid!);
    assert.ok(ports.length >= 1, 'the HTTP port at least is found (the probe sees the process listeners)');
    for (const { host, port } of ports) {
      const err = await listCollectionsError(host, port);
      assert.ok(err, `TCP ${host}:${port} of the app answered an unauthenticated listCollections`);
    }

    // The data is there, behind the socket only its owner can open.
    const socketPath = join(dataDir, 'run', 'db.sock');
    assert.ok(fs.lstatSync(socketPath).isSocket());
    assert.equal(fs.lstatSync(socketPath).mode & 0o777, 0o600);
    assert.equal(fs.statSync(join(dataDir, 'run')).mode & 0o777, 0o700);
    const client = new MongoClient(`mongodb://${encodeURIComponent(socketPath)}/?directConnection=true`);
    try {
      const names = (await client.db('parley').listCollections().toArray()).map((c) => c.name);
      assert.ok(names.includes('users'), `the app's collections are behind the socket (${names.join(', ')})`);
    } finally {
      await client.close();
    }

    // kill -9 leaves the socket file behind; the next start replaces it.
    await stopProcess(app, 'SIGKILL');
    assert.ok(fs.lstatSync(socketPath).isSocket(), 'the killed app left its socket');
    app = await startApp(dataDir);
    assert.equal(fs.lstatSync(socketPath).mode & 0o777, 0o600);
    for (const { host, port } of listeningPorts(app.pid!)) assert.ok(await listCollectionsError(host, port));
    await stopProcess(app, 'SIGTERM');
    assert.equal(fs.existsSync(socketPath), false, 'a clean stop removes the socket');
  },
);
