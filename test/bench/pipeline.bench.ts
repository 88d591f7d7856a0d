// End-to-end benchmark (`npm run bench`, not part of npm test): the real server in a child process with one
// authenticated agent socket; signed Cloud-API webhooks from many simulated customers at fixed concurrency levels;
// messages/s fully processed (stored AND pushed to the socket) and webhook→socket latency; a bare express endpoint
// (HMAC + JSON parse only) measured in the same run as the yardstick; a fixed 200 msgs/s run for tail latency; and
// the conversation list (first page, and a search) over a seeded 100k conversations / 1M messages. Prints the
// figures, then one JSON line. Must never talk to anything but 127.0.0.1 and must stop its children.
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';

const SECRET = 'bench-secret';
const COUNT = Number(process.env.BENCH_COUNT ?? 3000);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,16,64').split(',').map(Number);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const MESSAGES_PER = Number(process.env.BENCH_MESSAGES_PER ?? 10);
const CHILD = join(import.meta.dirname, 'pipeline-child.ts');
// The V8 flags `npm start` runs the server with (package.json), so the benchmark measures the server as deployed.
const START = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts.start;
const SERVER_V8_FLAGS = START.split(/\s+/).filter((a) => /^--max-(semi|old)-space-size=\d+$/.test(a));

function startChild(
  mode: 'bare' | 'server',
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_CPU_PROF=<dir> profiles the child (node --cpu-prof) to find what dominates.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  // The server runs with the V8 flags of `npm start` (and the Dockerfile); the yardstick as plain node.
  const v8 = mode === 'server' ? SERVER_V8_FLAGS : [];
  const child = fork(CHILD, [mode], {
    execArgv: ['--import', 'tsx', ...v8, ...prof],
    env: { ...process.env, ...env, BENCH_SECRET: SECRET },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} child exited with ${code}`)));
    child.on('message', (m: { ready?: boolean; url?: string }) => {
      if (m.ready) resolve({ child, url: m.url! });
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
function post(url: string, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url + path,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
function get(url: string, path: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { agent, headers: { cookie, accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

let seq = 0;
function webhook(): { id: string; body: string; sig: string } {
  const n = ++seq;
  const id = `wamid.BENCH${n}`;
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '34910000001', phone_number_id: '109400000000001' },
              contacts: [{ profile: { name: `Bench ${n % 5000}` }, wa_id: `3461${String(n % 5000).padStart(7, '0')}` }],
              messages: [
                {
                  from: `3461${String(n % 5000).padStart(7, '0')}`,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `bench ${id}` },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { id, body, sig: `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : NaN;
};

async function bareThroughput(): Promise<number> {
  const { child, url } = await startChild('bare', {});
  const run = async (n: number) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next++ < n) {
          const w = webhook();
          await post(url, '/webhooks/whatsapp', w.body, { 'x-hub-signature-256': w.sig });
        }
      }),
    );
    return n / ((performance.now() - t0) / 1000);
  };
  await run(1000); // warm-up
  const rate = await run(COUNT * 2);
  child.kill('SIGINT');
  return Math.round(rate);
}

async function main(): Promise<void> {
  console.log(`cores: ${availableParallelism()}  messages per level: ${COUNT}  levels: ${LEVELS.join(', ')}`);
  const bare = await bareThroughput();
  console.log(`bare express (HMAC + JSON parse), concurrency 64: ${bare} req/s`);

  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const { child, url } = await startChild('server', { DATA_DIR: dataDir });
  try {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@parley.test', password: 'bench-password-123' }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('parley.sid='))!
      .split(';')[0];
    const socket: Socket = io(url, { transports: ['websocket'], extraHeaders: { cookie } });
    await new Promise<void>((r, j) => (socket.once('connect', () => r()), socket.once('connect_error', j)));
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let received = 0;
    let lastAt = 0;
    socket.on('message:new', (e: { message: { text: string | null } }) => {
      const id = e.message.text?.startsWith('bench ') ? e.message.text.slice(6) : null;
      const t = id ? sentAt.get(id) : undefined;
      if (t === undefined) return;
      lastAt = performance.now();
      latencies.push(lastAt - t);
      sentAt.delete(id!);
      received++;
    });
    const waitAll = async (n: number) => {
      const end = Date.now() + 120_000;
      while (received < n && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      if (received < n) throw new Error(`only ${received}/${n} messages reached the socket`);
    };

    const levels: Array<{ concurrency: number; msgsPerSec: number; p50: number; p95: number; p99: number }> = [];
    for (const c of [...LEVELS]) {
      received = 0;
      latencies.length = 0;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: c }, async () => {
          while (next++ < COUNT) {
            const w = webhook();
            sentAt.set(w.id, performance.now());
            const status = await post(url, '/webhooks/whatsapp', w.body, { 'x-hub-signature-256': w.sig });
            if (status !== 200) throw new Error(`webhook answered ${status}`);
          }
        }),
      );
      await waitAll(COUNT);
      const r = {
        concurrency: c,
        msgsPerSec: Math.round(COUNT / ((lastAt - t0) / 1000)),
        p50: pct(latencies, 50),
        p95: pct(latencies, 95),
        p99: pct(latencies, 99),
      };
      levels.push(r);
      console.log(
        `pipeline c=${c}: ${r.msgsPerSec} msgs/s stored+pushed; webhook→socket p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms`,
      );
    }

    // Fixed rate: 200 msgs/s for 5 s.
    received = 0;
    latencies.length = 0;
    const rateN = 1000;
    const t0 = performance.now();
    const sends: Promise<number>[] = [];
    for (let i = 0; i < rateN; i++) {
      const due = t0 + i * 5;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const w = webhook();
      sentAt.set(w.id, performance.now());
      sends.push(post(url, '/webhooks/whatsapp', w.body, { 'x-hub-signature-256': w.sig }));
    }
    await Promise.all(sends);
    await waitAll(rateN);
    const p99At200 = pct(latencies, 99);
    console.log(`fixed 200 msgs/s: webhook→socket p50 ${pct(latencies, 50)} ms, p99 ${p99At200} ms`);

    // Conversation list over a seeded data set.
    console.log(`seeding ${CONVERSATIONS} conversations × ${MESSAGES_PER} messages…`);
    const seeded = await new Promise<{ seeded: boolean; ms?: number; error?: string }>((resolve) => {
      child.on('message', (m: { seeded?: boolean }) => m.seeded !== undefined && resolve(m as never));
      child.send({ seed: { conversations: CONVERSATIONS, messagesPer: MESSAGES_PER } });
    });
    if (!seeded.seeded) throw new Error(`seeding failed: ${seeded.error}`);
    console.log(`seeded in ${Math.round((seeded.ms ?? 0) / 1000)} s`);
    const timeGets = async (path: () => string, n: number) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const status = await get(url, path(), cookie);
        if (status !== 200) throw new Error(`${path()} answered ${status}`);
        xs.push(performance.now() - t);
      }
      return xs;
    };
    // Warm-up (not timed): the first sorted read builds the engine's ordered index for that sort, once per process.
    await timeGets(() => '/api/conversations?limit=30', 10);
    const list = await timeGets(() => '/api/conversations?limit=30', 200);
    const search = await timeGets(
      () =>
        `/api/conversations?limit=30&q=${encodeURIComponent(`question number ${Math.floor(Math.random() * CONVERSATIONS)}`)}`,
      50,
    );
    console.log(
      `conversation list (first page): p50 ${pct(list, 50)} ms, p95 ${pct(list, 95)} ms; search: p50 ${pct(search, 50)} ms, p95 ${pct(search, 95)} ms`,
    );
    socket.close();

    const top = levels.find((l) => l.concurrency === 64) ?? levels.at(-1)!;
    console.log(
      JSON.stringify({
        cores: availableParallelism(),
        pipeline_msgs_per_s: top.msgsPerSec,
        bare_req_per_s: bare,
        ratio: Math.round((top.msgsPerSec / bare) * 1000) / 1000,
        p50_ms: top.p50,
        p99_ms: top.p99,
        p99_ms_at_200: p99At200,
        list_p95_ms: pct(list, 95),
        search_p95_ms: pct(search, 95),
        levels,
        seeded: { conversations: CONVERSATIONS, messages: CONVERSATIONS * MESSAGES_PER },
      }),
    );
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
    agent.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
