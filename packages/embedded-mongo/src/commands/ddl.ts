// Collection, database and index management commands of the embedded engine: create, drop, dropDatabase,
// renameCollection, listCollections, listDatabases, dbStats, collStats, createIndexes, listIndexes, dropIndexes.
// Changes are journaled as schema records through the Writer. Must never run inside a transaction when it
// would drop data (MongoDB refuses that too).
import { calculateObjectSize, type Document } from 'bson';
import type { Collection } from '../collection.js';
import type { CommandContext, Handler } from '../context.js';
import { CommandError, Codes } from '../errors.js';
import { compileQuery } from '../mingo-context.js';
import { wrapTyped } from '../normalise.js';
import { validateCollectionName } from '../store.js';
import { isPlainObject } from '../values.js';
import { collName, docArg, num } from './args.js';

function noTxn(ctx: CommandContext, what: string): void {
  if (ctx.txn)
    throw new CommandError(
      Codes.OperationNotSupportedInTransaction,
      `Cannot run '${what}' in a multi-document transaction.`,
    );
}

const UNSUPPORTED_CREATE = [
  'capped',
  'viewOn',
  'pipeline',
  'timeseries',
  'validator',
  'clusteredIndex',
  'changeStreamPreAndPostImages',
  'encryptedFields',
];

const create: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'create');
  validateCollectionName(ctx.db, name);
  for (const f of UNSUPPORTED_CREATE) {
    if (cmd[f] !== undefined && cmd[f] !== false) {
      throw new CommandError(
        Codes.NotImplemented,
        `collection option '${f}' is not supported by the embedded database engine`,
      );
    }
  }
  const coll = cmd.collation as Document | undefined;
  if (coll && coll.locale !== 'simple') {
    throw new CommandError(Codes.NotImplemented, 'collation is not supported by the embedded database engine');
  }
  if (ctx.store.get(ctx.db, name))
    throw new CommandError(Codes.NamespaceExists, `Collection ${ctx.db}.${name} already exists.`);
  ctx.writer.ensure(ctx.db, name, {});
  return { ok: 1 };
};

const drop: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'drop');
  noTxn(ctx, 'drop');
  const c = ctx.store.get(ctx.db, name);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, 'ns not found');
  ctx.store.dropRaw(ctx.db, name);
  ctx.cursors.dropNamespace(c.ns);
  ctx.writer.schema({ t: 'dropColl', db: ctx.db, coll: name });
  return { nIndexesWas: c.indexes.size + 1, ns: c.ns, ok: 1 };
};

const dropDatabase: Handler = (_cmd, ctx) => {
  noTxn(ctx, 'dropDatabase');
  if (ctx.store.dbs.delete(ctx.db)) {
    ctx.cursors.dropNamespace(ctx.db);
    ctx.writer.schema({ t: 'dropDb', db: ctx.db });
  }
  return { dropped: ctx.db, ok: 1 };
};

const renameCollection: Handler = (cmd, ctx) => {
  noTxn(ctx, 'renameCollection');
  const from = String(cmd.renameCollection ?? '');
  const to = String(cmd.to ?? '');
  const split = (ns: string): [string, string] => {
    const i = ns.indexOf('.');
    if (i <= 0) throw new CommandError(Codes.InvalidNamespace, `Invalid namespace specified '${ns}'`);
    return [ns.slice(0, i), ns.slice(i + 1)];
  };
  const [fdb, fname] = split(from);
  const [tdb, tname] = split(to);
  validateCollectionName(tdb, tname);
  const src = ctx.store.get(fdb, fname);
  if (!src) throw new CommandError(Codes.NamespaceNotFound, 'source namespace does not exist');
  if (ctx.store.get(tdb, tname)) {
    if (cmd.dropTarget !== true) throw new CommandError(Codes.NamespaceExists, 'target namespace exists');
    ctx.store.dropRaw(tdb, tname);
    ctx.writer.schema({ t: 'dropColl', db: tdb, coll: tname });
  }
  const dst = ctx.writer.ensure(tdb, tname, src.options);
  for (const ix of src.indexes.values()) {
    dst.createIndex(ix.spec);
    ctx.writer.schema({ t: 'createIndex', db: tdb, coll: tname, spec: ix.spec });
  }
  for (const doc of src.docs.values()) {
    dst.insert(doc);
    ctx.writer.schema({ t: 'put', db: tdb, coll: tname, doc: wrapTyped(doc) });
  }
  ctx.store.dropRaw(fdb, fname);
  ctx.cursors.dropNamespace(src.ns);
  ctx.writer.schema({ t: 'dropColl', db: fdb, coll: fname });
  return { ok: 1 };
};

function describeCollection(c: Collection): Document {
  return {
    name: c.name,
    type: 'collection',
    options: c.options,
    info: { readOnly: false, uuid: c.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

const listCollections: Handler = (cmd, ctx) => {
  const filter = docArg(cmd.filter, 'filter');
  const q = Object.keys(filter).length ? compileQuery(filter) : null;
  const nameOnly = cmd.nameOnly === true;
  const docs = ctx.store
    .collections(ctx.db)
    .map(describeCollection)
    .filter((d) => !q || q.test(d))
    .map((d) => (nameOnly ? { name: d.name, type: d.type } : d));
  const cursorOpt = docArg(cmd.cursor, 'cursor');
  const batchSize = cursorOpt.batchSize === undefined ? undefined : num(cursorOpt.batchSize, 'batchSize', 101);
  return { cursor: ctx.cursors.create(`${ctx.db}.$cmd.listCollections`, docs, batchSize, false, ctx.lsid), ok: 1 };
};

function collSize(c: Collection): number {
  let bytes = 0;
  for (const d of c.docs.values()) bytes += calculateObjectSize(d);
  return bytes;
}

const listDatabases: Handler = (cmd, ctx) => {
  const filter = docArg(cmd.filter, 'filter');
  const q = Object.keys(filter).length ? compileQuery(filter) : null;
  let total = 0;
  const databases: Document[] = [];
  for (const db of ctx.store.dbs.keys()) {
    const size = cmd.nameOnly === true ? 0 : ctx.store.collections(db).reduce((s, c) => s + collSize(c), 0);
    const d = cmd.nameOnly === true ? { name: db } : { name: db, sizeOnDisk: size, empty: size === 0 };
    if (q && !q.test(d)) continue;
    total += size;
    databases.push(d);
  }
  return cmd.nameOnly === true
    ? { databases, ok: 1 }
    : { databases, totalSize: total, totalSizeMb: Math.round(total / 1048576), ok: 1 };
};

const dbStats: Handler = (_cmd, ctx) => {
  const colls = ctx.store.collections(ctx.db);
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const c of colls) {
    objects += c.docs.size;
    dataSize += collSize(c);
    indexes += c.indexes.size + 1;
  }
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes,
    indexSize: 0,
    totalSize: dataSize,
    scaleFactor: 1,
    ok: 1,
  };
};

const collStats: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'collStats');
  const c = ctx.store.get(ctx.db, name);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, `Collection [${ctx.db}.${name}] not found.`);
  const size = collSize(c);
  const indexSizes: Document = {};
  for (const spec of c.indexSpecs()) indexSizes[spec.name] = 0;
  return {
    ns: c.ns,
    count: c.docs.size,
    size,
    avgObjSize: c.docs.size ? size / c.docs.size : 0,
    storageSize: size,
    nindexes: c.indexes.size + 1,
    totalIndexSize: 0,
    indexSizes,
    capped: false,
    ok: 1,
  };
};

const createIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'createIndexes');
  const specs = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0)
    throw new CommandError(Codes.BadValue, "'indexes' must be a non-empty array");
  const createdCollectionAutomatically = !ctx.store.get(ctx.db, name);
  const c = ctx.writer.ensure(ctx.db, name);
  const before = c.indexes.size + 1;
  for (const raw of specs) {
    if (!isPlainObject(raw)) throw new CommandError(Codes.TypeMismatch, 'index specification must be an object');
    const { created, spec } = c.createIndex(raw);
    if (created) ctx.writer.schema({ t: 'createIndex', db: ctx.db, coll: name, spec });
  }
  const after = c.indexes.size + 1;
  const reply: Document = { createdCollectionAutomatically, numIndexesBefore: before, numIndexesAfter: after };
  if (before === after) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

const listIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'listIndexes');
  const c = ctx.store.get(ctx.db, name);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  const docs = [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...[...c.indexes.values()].map((ix) => ix.describe())];
  const cursorOpt = docArg(cmd.cursor, 'cursor');
  const batchSize = cursorOpt.batchSize === undefined ? undefined : num(cursorOpt.batchSize, 'batchSize', 101);
  return { cursor: ctx.cursors.create(`${ctx.db}.${name}`, docs, batchSize, false, ctx.lsid), ok: 1 };
};

const dropIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, 'dropIndexes' in cmd ? 'dropIndexes' : 'deleteIndexes');
  noTxn(ctx, 'dropIndexes');
  const c = ctx.store.get(ctx.db, name);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = c.indexes.size + 1;
  const which = cmd.index;
  let names: string[];
  if (which === '*') names = [...c.indexes.keys()];
  else if (typeof which === 'string') names = [which];
  else if (Array.isArray(which)) names = which.map(String);
  else if (isPlainObject(which)) {
    const want = JSON.stringify(Object.entries(which));
    const ix = [...c.indexes.values()].find((i) => JSON.stringify(Object.entries(i.spec.key)) === want);
    if (!ix) throw new CommandError(Codes.IndexNotFound, `can't find index with key: ${JSON.stringify(which)}`);
    names = [ix.name];
  } else throw new CommandError(Codes.TypeMismatch, "'index' must be a string, array or object");
  for (const n of names) {
    if (n === '_id_') throw new CommandError(Codes.InvalidOptions, 'cannot drop _id index');
    if (!c.indexes.has(n)) throw new CommandError(Codes.IndexNotFound, `index not found with name [${n}]`);
  }
  for (const n of names) {
    c.dropIndex(n);
    ctx.writer.schema({ t: 'dropIndex', db: ctx.db, coll: name, name: n });
  }
  return { nIndexesWas, ok: 1 };
};

export const ddlCommands: Record<string, Handler> = {
  create,
  drop,
  dropDatabase,
  renameCollection,
  listCollections,
  listDatabases,
  dbStats,
  dbstats: dbStats,
  collStats,
  collstats: collStats,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
