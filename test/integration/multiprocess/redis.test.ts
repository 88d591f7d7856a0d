// Several server processes: a Debian redis-server started here, the embedded engine served on a Unix socket as the
// one shared database, two real app processes (A and B) linked through the Redis adapter. A webhook posted to A
// reaches an agent socket on B exactly once and is stored once. Skipped only when redis-server is missing.
// Must never leave a process behind: everything started here is killed in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { startEmbeddedServer, type EmbeddedServer } from '@parley/embedded-mongo';
import { Session, collect, nextEvent } from '../../helpers/http.js';
import { startAppProcess, stopProcess } from '../../helpers/app-process.js';
import { CHANNEL_ENV, cloudText, postWebhook } from '../../helpers/webhooks.js';

const REDIS_BIN = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(
  (p) => spawnSync(p, ['--version']).status === 0,
);
const skip = REDIS_BIN ? false : 'redis-server is not installed (apt-get install redis-server)';
const ADMIN = { email: 'admin@parley.test', password: 'correct-horse-battery' };

let redis: ChildProcess | undefined;
let engine: EmbeddedServer | undefined;
const apps: ChildProcess[] = [];
let urlA = '';
let urlB = '';
let dbName = '';
let dbUri = '';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function startRedis(): Promise<string> {
  const port = await freePort();
  const proc = spawn(REDIS_BIN!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  redis = proc;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/i.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`));
    });
  });
  return `redis://127.0.0.1:${port}`;
}

async function startApp(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const started = await startAppProcess(env);
  apps.push(started.proc);
  return started;
}

const killed = stopProcess;

before(async () => {
  if (skip) return;
  const redisUrl = await startRedis();
  engine = await startEmbeddedServer(); // in memory, served on a Unix socket to both app processes
  dbUri = engine.uri;
  dbName = `parley_mp_${randomBytes(4).toString('hex')}`;
  const env = {
    ...CHANNEL_ENV,
    MONGODB_URI: dbUri,
    MONGODB_DB: dbName,
    REDIS_URL: redisUrl,
    SESSION_SECRET: 's'.repeat(40),
    SUPPRESSION_SECRET: 'k'.repeat(40),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
  // One after the other: the first bootstraps the admin and the env channel, the second finds them.
  urlA = (await startApp(env)).url;
  urlB = (await startApp(env)).url;
});

after(async () => {
  await Promise.all(apps.map((p) => killed(p)));
  await engine?.close();
  if (redis) await killed(redis);
});

test('a webhook posted to process A reaches an agent socket on process B exactly once', { skip }, async () => {
  const agent = new Session(urlB);
  assert.equal((await agent.login(ADMIN.email, ADMIN.password)).status, 200);
  const socket = await agent.socket();
  try {
    const got = collect<{ conversationId: string; message: { id: string; text?: string } }>(socket, 'message:new');
    const first = nextEvent<{ message: { text?: string } }>(socket, 'message:new', 10_000);
    const text = `hello across processes ${randomBytes(3).toString('hex')}`;
    const wamid = `wamid.MP${randomBytes(6).toString('hex')}`;
    const res = await postWebhook(urlA, 'whatsapp', cloudText({ id: wamid, from: '34612345678', text }));
    assert.equal(res.status, 200);

    const payload = await first;
    assert.equal(payload.message.text, text);
    await new Promise((r) => setTimeout(r, 1_500)); // a duplicate would have arrived by now
    assert.equal(got.filter((e) => e.message.text === text).length, 1, 'message:new arrives exactly once');

    const conn = await mongoose.createConnection(dbUri, { dbName }).asPromise();
    try {
      const stored = await conn.collection('messages').countDocuments({ providerMessageId: wamid });
      assert.equal(stored, 1, 'the message is stored once');
    } finally {
      await conn.close();
    }
  } finally {
    socket.close();
  }
});

test('a channel change made on process A re-rooms the agent socket on process B', { skip }, async () => {
  const admin = new Session(urlA);
  assert.equal((await admin.login(ADMIN.email, ADMIN.password)).status, 200);
  const channels = await admin.get<{ items: { id: string; kind: string }[] }>('/api/channels');
  const cloud = channels.body.items.find((c) => c.kind === 'whatsapp-cloud');
  assert.ok(cloud, 'the env Cloud channel exists');
  const created = await admin.post('/api/users', {
    email: 'remote-agent@parley.test',
    name: 'Remote Agent',
    role: 'agent',
    password: 'a-good-password',
    channelIds: [],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  const agent = new Session(urlB);
  assert.equal((await agent.login('remote-agent@parley.test', 'a-good-password')).status, 200);
  const socket = await agent.socket();
  try {
    const got = collect<{ message: { text?: string } }>(socket, 'message:new');
    const send = async (text: string) => {
      const wamid = `wamid.MP${randomBytes(6).toString('hex')}`;
      const res = await postWebhook(urlA, 'whatsapp', cloudText({ id: wamid, from: '34612345679', text }));
      assert.equal(res.status, 200);
    };
    await send('before the agent may see the channel');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(got.length, 0, 'no channel, no message');

    assert.equal((await admin.patch(`/api/users/${created.body.id}`, { channelIds: [cloud.id] })).status, 200);
    await new Promise((r) => setTimeout(r, 500)); // the change crosses to B through Redis
    const next = nextEvent<{ message: { text?: string } }>(socket, 'message:new', 10_000);
    await send('after the agent got the channel');
    assert.equal((await next).message.text, 'after the agent got the channel');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(got.length, 1, 'exactly once');
  } finally {
    socket.close();
  }
});

test('a password change made on process A ends the user’s socket on process B', { skip }, async () => {
  const admin = new Session(urlA);
  assert.equal((await admin.login(ADMIN.email, ADMIN.password)).status, 200);
  const created = await admin.post('/api/users', {
    email: 'remote-rotated@parley.test',
    name: 'Remote Rotated',
    role: 'agent',
    password: 'a-good-password',
    channelIds: [],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const agent = new Session(urlB);
  assert.equal((await agent.login('remote-rotated@parley.test', 'a-good-password')).status, 200);
  const socket = await agent.socket();
  try {
    const ended = nextEvent<{ reason: string }>(socket, 'session:ended', 10_000);
    const gone = nextEvent<string>(socket, 'disconnect', 10_000);
    const r = await admin.patch(`/api/users/${created.body.id}`, { password: 'another-good-password' });
    assert.equal(r.status, 200);
    assert.equal((await ended).reason, 'password_changed');
    await gone;
    await assert.rejects(agent.socket(), /unauthorized/);
  } finally {
    socket.close();
  }
});
