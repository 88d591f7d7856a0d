// Handshake and administrative commands of the embedded engine (hello/isMaster, ping, buildInfo, getParameter,
// serverStatus, hostInfo, whatsmyuri, sessions…). The hello reply presents a single-node replica-set primary so
// drivers enable sessions/transactions, and never carries topologyVersion (that would switch the driver to
// streaming hello). Must never change stored data.
import os from 'node:os';
import { Long, ObjectId, type Document } from 'bson';
import type { CommandContext, Handler } from '../context.js';
import { lsidKey } from '../txn.js';

const VERSION = '7.0.0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

function hello(cmd: Document, ctx: CommandContext): Document {
  const me = ctx.server.address; // the socket path: the address the driver dialled, so SDAM keeps the server
  const legacy = 'isMaster' in cmd || 'ismaster' in cmd;
  const reply: Document = {
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    topologyVersion: undefined,
    setName: ctx.server.setName,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    secondary: false,
    electionId: ELECTION_ID,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
  delete reply.topologyVersion;
  if (!legacy) delete reply.ismaster;
  return reply;
}

const buildInfo: Handler = () => ({
  version: VERSION,
  gitVersion: 'parley-embedded',
  versionArray: [7, 0, 0, 0],
  modules: [],
  allocator: 'system',
  javascriptEngine: 'none',
  sysInfo: 'deprecated',
  openssl: { running: 'disabled' },
  buildEnvironment: {},
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['embedded'],
  ok: 1,
});

const getParameter: Handler = (cmd) => {
  const known: Document = {
    featureCompatibilityVersion: { version: '7.0' },
    transactionLifetimeLimitSeconds: 60,
    maxTransactionLockRequestTimeoutMillis: 5,
    authenticationMechanisms: [],
    logLevel: 0,
  };
  const reply: Document = {};
  if (cmd.getParameter === '*' || (typeof cmd.getParameter === 'object' && cmd.getParameter?.allParameters)) {
    Object.assign(reply, known);
  } else {
    for (const k of Object.keys(cmd)) if (k in known) reply[k] = known[k];
  }
  return { ...reply, ok: 1 };
};

const serverStatus: Handler = (_cmd, ctx) => ({
  host: os.hostname(),
  version: VERSION,
  process: 'parley-embedded',
  pid: Long.fromNumber(process.pid),
  uptime: Math.floor((Date.now() - ctx.server.startedAt.getTime()) / 1000),
  uptimeMillis: Long.fromNumber(Date.now() - ctx.server.startedAt.getTime()),
  localTime: new Date(),
  connections: { current: 0, available: 1000 },
  metrics: { cursor: { open: { total: ctx.cursors.size } } },
  embedded: { ...ctx.store.stats, ...ctx.server.health?.() },
  ok: 1,
});

const hostInfo: Handler = () => ({
  system: {
    currentTime: new Date(),
    hostname: os.hostname(),
    cpuAddrSize: 64,
    memSizeMB: Math.round(os.totalmem() / 1048576),
    numCores: os.cpus().length,
    cpuArch: os.arch(),
  },
  os: { type: os.type(), name: os.platform(), version: os.release() },
  extra: {},
  ok: 1,
});

const endSessions: Handler = (cmd, ctx) => {
  const list = (cmd.endSessions ?? cmd.killSessions) as unknown;
  if (Array.isArray(list)) {
    for (const s of list) {
      const key = lsidKey(s);
      if (!key) continue;
      ctx.txns.endSession(key);
      ctx.cursors.killSession(key);
    }
  }
  return { ok: 1 };
};

const ok: Handler = () => ({ ok: 1 });

export const adminCommands: Record<string, Handler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  serverStatus,
  hostInfo,
  whatsmyuri: (_c, ctx) => ({ you: ctx.remote, ok: 1 }),
  getLastError: () => ({ n: 0, err: null, ok: 1 }),
  getlasterror: () => ({ n: 0, err: null, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['parley-embedded'], parsed: {}, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: 1 }),
  endSessions,
  killSessions: endSessions,
  refreshSessions: ok,
  startSession: () => ({ id: { id: new ObjectId() }, timeoutMinutes: 30, ok: 1 }),
  logout: ok,
  replSetGetStatus: (_c, ctx) => ({
    set: ctx.server.setName,
    myState: 1,
    members: [{ _id: 0, name: ctx.server.address, health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
    ok: 1,
  }),
};
