// Where the embedded engine listens: only a Unix domain socket, the socket file 0600 in a 0700 folder, a stale
// socket of a killed process replaced, a live one or a foreign file refused (nothing changed), TCP options
// refused, and close() removing the socket (and its private temp folder).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmbeddedServer, type EmbeddedServerOptions } from '../src/index.js';

const skip = process.platform === 'win32' ? 'Unix domain sockets only' : false;
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'parley-sock-'));
  dirs.push(d);
  return d;
}
const mode = (p: string) => fs.lstatSync(p).mode & 0o777;

async function answers(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3_000 });
  try {
    await client.connect();
    await client.db('s').collection('c').insertOne({ v: 1 });
    assert.equal(await client.db('s').collection('c').countDocuments(), 1);
  } finally {
    await client.close();
  }
}

/** A socket file nobody listens on any more: its server process was killed with SIGKILL. */
async function leaveStaleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`],
    { stdio: 'ignore' },
  );
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(fs.lstatSync(path).isSocket(), 'the killed process left its socket file behind');
}

test('default: a private temp folder (0700) holding a 0600 socket, both removed on close', { skip }, async () => {
  const server = await startEmbeddedServer();
  const dir = dirname(server.socketPath);
  try {
    assert.ok(fs.lstatSync(server.socketPath).isSocket());
    assert.equal(mode(server.socketPath), 0o600);
    assert.equal(mode(dir), 0o700);
    assert.equal(fs.statSync(dir).uid, process.getuid!());
    assert.equal(server.uri, `mongodb://${encodeURIComponent(server.socketPath)}/?directConnection=true`);
    await answers(server.uri);
  } finally {
    await server.close();
  }
  assert.equal(fs.existsSync(server.socketPath), false, 'socket removed');
  assert.equal(fs.existsSync(dir), false, 'temp folder removed');
});

test(
  'a given path: its missing folder is created 0700; close removes the socket, keeps the folder',
  { skip },
  async () => {
    const root = await tempDir();
    const socketPath = join(root, 'run', 'nested', 'db.sock');
    const server = await startEmbeddedServer({ socketPath });
    try {
      assert.equal(server.socketPath, socketPath);
      assert.equal(mode(join(root, 'run', 'nested')), 0o700);
      assert.equal(mode(join(root, 'run')), 0o700);
      assert.equal(mode(socketPath), 0o600);
      await answers(server.uri);
    } finally {
      await server.close();
    }
    assert.equal(fs.existsSync(socketPath), false);
    assert.ok(fs.existsSync(join(root, 'run', 'nested')));
  },
);

test('a stale socket file left by a killed process is replaced', { skip }, async () => {
  const root = await tempDir();
  const socketPath = join(root, 'db.sock');
  await leaveStaleSocket(socketPath);
  const server = await startEmbeddedServer({ socketPath });
  try {
    assert.equal(mode(socketPath), 0o600);
    await answers(server.uri);
  } finally {
    await server.close();
  }
});

test('a live server on the path is not disturbed: the second start fails clearly', { skip }, async () => {
  const root = await tempDir();
  const socketPath = join(root, 'db.sock');
  const first = await startEmbeddedServer({ socketPath });
  try {
    await assert.rejects(startEmbeddedServer({ socketPath }), {
      message: `another server is already listening on ${socketPath}; stop it or choose another socket path`,
    });
    await answers(first.uri); // still there, still answering
  } finally {
    await first.close();
  }
});

test('bad places are refused with a clear error and change nothing', { skip }, async () => {
  const root = await tempDir();
  // A folder other users may enter.
  const open = join(root, 'open');
  fs.mkdirSync(open);
  fs.chmodSync(open, 0o755);
  await assert.rejects(startEmbeddedServer({ socketPath: join(open, 'db.sock') }), {
    message: `socket folder ${open} is open to other users (mode 755); make it owner-only (chmod 700 ${open}) or choose another socket path`,
  });
  assert.deepEqual(fs.readdirSync(open), []);
  assert.equal(mode(open), 0o755);
  // A file that is not a socket.
  const file = join(root, 'data.sock');
  fs.writeFileSync(file, 'precious');
  await assert.rejects(startEmbeddedServer({ socketPath: file }), {
    message: `${file} exists and is not a socket; remove it or choose another socket path`,
  });
  assert.equal(fs.readFileSync(file, 'utf8'), 'precious');
  // Not recognisable by drivers, or too long for the kernel.
  await assert.rejects(startEmbeddedServer({ socketPath: join(root, 'db.socket') }), /must end in \.sock/);
  await assert.rejects(startEmbeddedServer({ socketPath: join(root, 'x'.repeat(120), 'db.sock') }), /longer than/);
  assert.equal(fs.existsSync(join(root, 'x'.repeat(120))), false);
});

test('there is no TCP: port/host options are refused', { skip }, async () => {
  const opts = { port: 0, host: '127.0.0.1' } as unknown as EmbeddedServerOptions;
  await assert.rejects(startEmbeddedServer(opts), /serves only a Unix domain socket/);
});
