// Unified-test-format runner for the embedded engine: starts an in-memory engine, runs every JSON file of the
// MongoDB specifications' unified format found under the folder given as argument (or CONFORMANCE_SPECS) with
// the official mongodb driver, and prints pass/fail/skip per suite and the skip reasons. Skips only what needs a
// sharded cluster, authentication, fail points, encryption or another server version than the target (8.0, a
// one-node replica set, what production runs). Exits 0 without a folder. Must never write outside the engine
// it started. Usage: npm run conformance -- <specs dir> [--filter <text>] [--verbose]
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BSON, GridFSBucket, MongoClient, MongoServerError, type ClientSession } from 'mongodb';
import { startEmbeddedServer } from '../../src/index.js';
import { match, type Entities } from './match.js';
import { perform, Unsupported, type Ctx, type Op } from './ops.js';

type Doc = Record<string, unknown>;
const TARGET_VERSION = [8, 0, 0];
const TEST_TIMEOUT_MS = 20_000;

const args = process.argv.slice(2);
const flag = (n: string): string | undefined => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--filter') ?? process.env.CONFORMANCE_SPECS;
const only = flag('--filter');
const verbose = args.includes('--verbose');

function files(d: string): string[] {
  return readdirSync(d)
    .sort()
    .flatMap((n) => {
      const p = join(d, n);
      return statSync(p).isDirectory() ? files(p) : n.endsWith('.json') ? [p] : [];
    });
}

const version = (v: string): number[] => v.split('.').map(Number);
function cmpVersion(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** Why this runOnRequirements list excludes the engine (null = it runs). */
function unmet(reqs: Doc[] | undefined): string | null {
  if (!reqs?.length) return null;
  const reasons = reqs.map((r): string | null => {
    if (r.minServerVersion && cmpVersion(version(String(r.minServerVersion)), TARGET_VERSION) > 0)
      return 'server version above 8.0';
    if (r.maxServerVersion && cmpVersion(version(String(r.maxServerVersion)), TARGET_VERSION) < 0)
      return 'server version below 8.0 only';
    if (Array.isArray(r.topologies) && !r.topologies.includes('replicaset')) return 'sharded/other topology';
    if (r.auth === true) return 'authentication';
    if (r.serverless === 'require') return 'serverless';
    if (r.csfle) return 'client-side encryption';
    if (r.serverParameters) return 'server parameters';
    return null;
  });
  return reasons.includes(null) ? null : (reasons[0] as string);
}

function usesFailPoints(ops: Op[]): boolean {
  return ops.some(
    (o) =>
      o.name === 'failPoint' ||
      o.name === 'targetedFailPoint' ||
      (Array.isArray(o.arguments?.callback) && usesFailPoints(o.arguments.callback as Op[])),
  );
}

interface Tally {
  pass: number;
  fail: number;
  skip: number;
}
const suites = new Map<string, Tally>();
const skipReasons = new Map<string, number>();
const failures: string[] = [];

async function main(): Promise<void> {
  if (!dir || !existsSync(dir)) {
    console.log('conformance: no specs folder given (argument or CONFORMANCE_SPECS); nothing to run');
    return;
  }
  const server = await startEmbeddedServer();
  const admin = await MongoClient.connect(server.uri);
  try {
    for (const file of files(dir)) {
      const rel = relative(dir, file);
      const suite = rel.split('/')[0];
      if (only && !rel.includes(only)) continue;
      let spec: Doc;
      try {
        spec = BSON.EJSON.parse(readFileSync(file, 'utf8'), { relaxed: true }) as Doc;
      } catch {
        continue;
      }
      if (!spec.schemaVersion || !Array.isArray(spec.tests)) continue;
      const tally = suites.get(suite) ?? { pass: 0, fail: 0, skip: 0 };
      suites.set(suite, tally);
      const fileSkip = unmet(spec.runOnRequirements as Doc[]);
      for (const t of spec.tests as Doc[]) {
        const ops = (t.operations ?? []) as Op[];
        const entitiesSpec = (spec.createEntities ?? []) as Doc[];
        const reason =
          fileSkip ??
          unmet(t.runOnRequirements as Doc[]) ??
          (usesFailPoints(ops) ? 'fail points' : null) ??
          (t.skipReason ? 'skipped by the spec' : null) ??
          (entitiesSpec.some((e) => 'clientEncryption' in e) ? 'client-side encryption' : null);
        if (reason) {
          tally.skip++;
          skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
          continue;
        }
        const name = `${rel}: ${String(t.description)}`;
        try {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            runTest(server.uri, admin, spec, t),
            new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('timed out')), TEST_TIMEOUT_MS))),
          ]).finally(() => clearTimeout(timer));
          tally.pass++;
          if (verbose) console.log(`ok   ${name}`);
        } catch (e) {
          tally.fail++;
          const msg = e instanceof Error ? e.message : String(e);
          failures.push(`${name}\n     ${msg.split('\n')[0].slice(0, 400)}`);
          if (verbose) console.log(`FAIL ${name}\n     ${msg.slice(0, 400)}`);
        }
      }
    }
  } finally {
    await admin.close();
    await server.close();
  }
  if (!verbose) for (const f of failures) console.log(`FAIL ${f}`);
  console.log('\nsuite                      pass  fail  skip');
  let total: Tally = { pass: 0, fail: 0, skip: 0 };
  for (const [s, t] of [...suites].sort()) {
    console.log(
      `${s.padEnd(26)} ${String(t.pass).padStart(4)}  ${String(t.fail).padStart(4)}  ${String(t.skip).padStart(4)}`,
    );
    total = { pass: total.pass + t.pass, fail: total.fail + t.fail, skip: total.skip + t.skip };
  }
  console.log(
    `${'total'.padEnd(26)} ${String(total.pass).padStart(4)}  ${String(total.fail).padStart(4)}  ${String(total.skip).padStart(4)}`,
  );
  console.log('\nskipped because:');
  for (const [r, n] of [...skipReasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${r}`);
}

async function runTest(uri: string, admin: MongoClient, spec: Doc, t: Doc): Promise<void> {
  for (const d of (spec.initialData ?? []) as Doc[]) {
    const db = admin.db(d.databaseName as string);
    await db.dropCollection(d.collectionName as string).catch(() => {});
    const docs = (d.documents ?? []) as Doc[];
    if (docs.length === 0 || d.createOptions) {
      await db.createCollection(d.collectionName as string, (d.createOptions ?? {}) as never);
    }
    if (docs.length) await db.collection(d.collectionName as string).insertMany(docs as never);
  }
  const entities: Entities = new Map();
  const clients: MongoClient[] = [];
  const sessions: ClientSession[] = [];
  const observers = new Map<string, Doc[]>();
  const ctx: Ctx = {
    entities,
    run: (op) => runOp(ctx, admin, op),
  };
  const create = async (list: Doc[]): Promise<void> => {
    for (const e of list) {
      const [kind, o] = Object.entries(e)[0] as [string, Doc];
      const id = o.id as string;
      if (kind === 'client') {
        const client = new MongoClient(uri, { ...((o.uriOptions ?? {}) as Doc), monitorCommands: true } as never);
        const events: Doc[] = [];
        const observe = new Set((o.observeEvents ?? []) as string[]);
        const ignore = new Set(['configureFailPoint', ...((o.ignoreCommandMonitoringEvents ?? []) as string[])]);
        for (const type of ['commandStarted', 'commandSucceeded', 'commandFailed'] as const) {
          client.on(type, (ev: Doc) => {
            if (!observe.has(`${type}Event`) || ignore.has(ev.commandName as string)) return;
            events.push({ type: `${type}Event`, ...ev });
          });
        }
        await client.connect();
        clients.push(client);
        observers.set(id, events);
        entities.set(`events:${id}`, events);
        entities.set(id, client);
      } else if (kind === 'database') {
        const client = entities.get(o.client as string) as MongoClient;
        entities.set(id, client.db(o.databaseName as string, (o.databaseOptions ?? {}) as never));
      } else if (kind === 'collection') {
        const db = entities.get(o.database as string) as ReturnType<MongoClient['db']>;
        entities.set(id, db.collection(o.collectionName as string, (o.collectionOptions ?? {}) as never));
      } else if (kind === 'session') {
        const client = entities.get(o.client as string) as MongoClient;
        const s = client.startSession((o.sessionOptions ?? {}) as never);
        sessions.push(s);
        entities.set(id, s);
        entities.set(`lsid:${id}`, s.id);
      } else if (kind === 'bucket') {
        const db = entities.get(o.database as string) as ReturnType<MongoClient['db']>;
        entities.set(id, new GridFSBucket(db, (o.bucketOptions ?? {}) as never));
      } else throw new Unsupported(`entity ${kind}`);
    }
  };
  ctx.run = async (op) => {
    if (op.name === 'createEntities') return create((op.arguments?.entities ?? []) as Doc[]);
    return runOp(ctx, admin, op);
  };
  try {
    await create((spec.createEntities ?? []) as Doc[]);
    for (const op of (t.operations ?? []) as Op[]) await ctx.run(op);
    for (const exp of (t.expectEvents ?? []) as Doc[]) {
      if (exp.eventType && exp.eventType !== 'command') continue;
      const actual = observers.get(exp.client as string) ?? [];
      const expected = exp.events as Doc[];
      const seen = exp.ignoreExtraEvents ? actual.slice(0, expected.length) : actual;
      if (seen.length !== expected.length)
        throw new Error(
          `expected ${expected.length} events, got ${actual.length}: ${actual.map((a) => a.commandName).join(',')}`,
        );
      expected.forEach((e, i) => {
        const [type, body] = Object.entries(e)[0] as [string, Doc];
        const a = seen[i];
        if (a.type !== type)
          throw new Error(`event ${i}: expected ${type}, got ${String(a.type)} ${String(a.commandName)}`);
        if (body.commandName && body.commandName !== a.commandName)
          throw new Error(`event ${i}: expected ${String(body.commandName)}, got ${String(a.commandName)}`);
        if (body.databaseName && body.databaseName !== a.databaseName) throw new Error(`event ${i}: database`);
        if (body.command)
          wrap(`event ${i} command`, () =>
            match(body.command, driverQuirks(body.command as Doc, a.command as Doc), entities),
          );
        if (body.reply) wrap(`event ${i} reply`, () => match(body.reply, a.reply, entities));
      });
    }
    for (const o of (t.outcome ?? []) as Doc[]) {
      const docs = await admin
        .db(o.databaseName as string)
        .collection(o.collectionName as string)
        .find({}, { sort: { _id: 1 } })
        .toArray();
      wrap(`outcome ${String(o.collectionName)}`, () => match(o.documents, docs, entities, false));
    }
  } finally {
    for (const s of sessions) await s.endSession().catch(() => {});
    for (const c of clients) await c.close().catch(() => {});
  }
}

function wrap(what: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

async function runOp(ctx: Ctx, admin: MongoClient, op: Op): Promise<void> {
  let result: unknown;
  let error: unknown;
  try {
    result = await perform(ctx, admin, op);
  } catch (e) {
    if (e instanceof Unsupported) throw e;
    error = e;
  }
  if (op.ignoreResultAndError) return;
  const ex = op.expectError;
  if (ex) {
    if (error === undefined)
      throw new Error(`${op.name}: expected an error, got ${BSON.EJSON.stringify(result as never)}`);
    checkError(op.name, ex, error as Doc, ctx.entities);
    return;
  }
  if (error !== undefined) throw new Error(`${op.name}: unexpected error: ${(error as Error).message}`);
  if (op.saveResultAsEntity) ctx.entities.set(op.saveResultAsEntity, result);
  if (op.expectResult !== undefined)
    wrap(`${op.name} result`, () => match(op.expectResult, plain(result), ctx.entities));
}

/** Driver result objects (class instances with getters) as plain documents. */
function plain(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v) || (v as Doc)._bsontype || v instanceof Date) return v;
  if (Object.getPrototypeOf(v) === Object.prototype) return v;
  const out: Doc = {};
  for (const k of Object.keys(v)) out[k] = (v as Doc)[k];
  return out;
}

function checkError(name: string, ex: Doc, e: Doc, entities: Entities): void {
  const server = e instanceof MongoServerError;
  const fail = (m: string) => {
    throw new Error(`${name}: ${m} (got ${String(e.name)} ${String(e.code)} ${String(e.message)})`);
  };
  if (ex.isClientError === true && server) fail('expected a client error');
  if (ex.isClientError === false && !server) fail('expected a server error');
  const code = e.code ?? (e.writeErrors as Doc[] | undefined)?.[0]?.code;
  if (ex.errorCode !== undefined && code !== ex.errorCode) fail(`expected code ${String(ex.errorCode)}`);
  if (ex.errorCodeName !== undefined && e.codeName !== ex.errorCodeName) fail(`expected ${String(ex.errorCodeName)}`);
  if (
    ex.errorContains !== undefined &&
    !String(e.message).toLowerCase().includes(String(ex.errorContains).toLowerCase())
  )
    fail(`expected message containing "${String(ex.errorContains)}"`);
  const has = (l: string) => typeof e.hasErrorLabel === 'function' && (e.hasErrorLabel as (l: string) => boolean)(l);
  for (const l of (ex.errorLabelsContain ?? []) as string[]) if (!has(l)) fail(`expected label ${l}`);
  for (const l of (ex.errorLabelsOmit ?? []) as string[]) if (has(l)) fail(`unexpected label ${l}`);
  if (ex.errorResponse) wrap(`${name} errorResponse`, () => match(ex.errorResponse, e.errorResponse ?? e, entities));
  if (ex.expectResult !== undefined) {
    const partial = (e.result ?? e.partialResult) as Doc | undefined;
    wrap(`${name} partial result`, () => match(ex.expectResult, plain(partial), entities));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * The node driver always adds `wtimeout: 10000` to the write concern of commitTransaction / abortTransaction (a
 * documented driver choice, not the server's): drop it from the observed command when the test does not expect it.
 */
function driverQuirks(expected: Doc, actual: Doc): Doc {
  const wc = actual.writeConcern as Doc | undefined;
  const name = Object.keys(actual)[0];
  if ((name !== 'commitTransaction' && name !== 'abortTransaction') || !wc || !('wtimeout' in wc)) return actual;
  const exp = expected.writeConcern as Doc | undefined;
  if (exp && typeof exp === 'object' && 'wtimeout' in exp) return actual;
  const { wtimeout: _drop, ...rest } = wc;
  void _drop;
  return { ...actual, writeConcern: rest };
}
