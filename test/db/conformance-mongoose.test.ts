// Conformance (part 1): mongoose models on the database under test — indexes (unique, compound, TTL), timestamps,
// refs + populate, queries, update operators, upserts, bulk writes, counts, distinct and duplicate-key errors —
// asserting what a real MongoDB does. Runs against MONGODB_URI when set. Must never weaken an assertion to suit
// the embedded engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
let conn: Connection;

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true },
    name: String,
    age: Number,
    tags: [String],
    score: { type: Number, default: 0 },
  },
  { timestamps: true },
);
const membershipSchema = new Schema({ org: String, user: String, role: String });
membershipSchema.index({ org: 1, user: 1 }, { unique: true });
const sessionSchema = new Schema({ token: String, expiresAt: { type: Date, expires: '1m' } });
sessionSchema.index({ createdAt: 1 }, { expireAfterSeconds: 3600 });
const authorSchema = new Schema({ name: String });
const postSchema = new Schema({
  title: String,
  author: { type: Schema.Types.ObjectId, ref: 'Author' },
  likes: { type: Number, default: 0 },
  createdAt: Date,
});

const models = () => ({
  User: conn.model('User', userSchema),
  Membership: conn.model('Membership', membershipSchema),
  Session: conn.model('Session', sessionSchema),
  Author: conn.model('Author', authorSchema),
  Post: conn.model('Post', postSchema),
});

before(async () => {
  db = await startTestDatabase({ prefix: 'conf_mongoose' });
  conn = await mongoose.createConnection(db.uri, { dbName: db.dbName, autoIndex: false }).asPromise();
  const m = models();
  for (const model of Object.values(m)) await model.init();
  await Promise.all(Object.values(m).map((model) => model.syncIndexes()));
});

after(async () => {
  await conn?.close();
  await db?.close();
});

test('syncIndexes builds unique, compound and TTL indexes with their options', async () => {
  const { User, Membership, Session } = models();
  const userIdx = await User.collection.indexes();
  const email = userIdx.find((i) => i.name === 'email_1');
  assert.ok(email, 'email_1 exists');
  assert.deepStrictEqual(email.key, { email: 1 });
  assert.equal(email.unique, true);
  assert.ok(userIdx.some((i) => i.name === '_id_'));
  const compound = (await Membership.collection.indexes()).find((i) => i.name === 'org_1_user_1');
  assert.deepStrictEqual(compound?.key, { org: 1, user: 1 });
  assert.equal(compound?.unique, true);
  const ttl = await Session.collection.indexes();
  assert.equal(ttl.find((i) => i.name === 'expiresAt_1')?.expireAfterSeconds, 60);
  assert.equal(ttl.find((i) => i.name === 'createdAt_1')?.expireAfterSeconds, 3600);
  // A second sync is a no-op: nothing dropped, nothing recreated.
  assert.deepStrictEqual(await User.syncIndexes(), []);
  const diff = await User.diffIndexes();
  assert.deepStrictEqual(diff, { toDrop: [], toCreate: [] });
});

test('create sets timestamps; updates move updatedAt but not createdAt', async () => {
  const { User } = models();
  const u = await User.create({ email: 'ts@example.com', name: 'T' });
  assert.ok(u.createdAt instanceof Date && u.updatedAt instanceof Date);
  const stored = await User.findById(u._id).lean();
  assert.equal(stored?.createdAt?.getTime(), u.createdAt.getTime());
  await new Promise((r) => setTimeout(r, 15));
  await User.updateOne({ _id: u._id }, { $set: { name: 'T2' } });
  const after = await User.findById(u._id).lean();
  assert.equal(after?.name, 'T2');
  assert.equal(after?.createdAt?.getTime(), u.createdAt.getTime());
  assert.ok(after!.updatedAt!.getTime() > u.updatedAt.getTime());
});

test('duplicate key on a unique index: code 11000, keyPattern, keyValue and the MongoDB message', async () => {
  const { User } = models();
  await User.create({ email: 'dup@example.com' });
  const err = await User.create({ email: 'dup@example.com' }).then(
    () => assert.fail('second insert must fail'),
    (e: unknown) => e as { code: number; keyPattern: unknown; keyValue: unknown; message: string; name: string },
  );
  assert.equal(err.name, 'MongoServerError');
  assert.equal(err.code, 11000);
  assert.deepStrictEqual(err.keyPattern, { email: 1 });
  assert.deepStrictEqual(err.keyValue, { email: 'dup@example.com' });
  assert.equal(
    err.message,
    `E11000 duplicate key error collection: ${db.dbName}.users index: email_1 dup key: { email: "dup@example.com" }`,
  );
});

test('duplicate key on a compound unique index and on _id', async () => {
  const { Membership } = models();
  await Membership.create({ org: 'o1', user: 'u1', role: 'agent' });
  await Membership.create({ org: 'o1', user: 'u2', role: 'agent' });
  const err = await Membership.create({ org: 'o1', user: 'u1', role: 'admin' }).catch((e) => e);
  assert.equal(err.code, 11000);
  assert.deepStrictEqual(err.keyPattern, { org: 1, user: 1 });
  assert.deepStrictEqual(err.keyValue, { org: 'o1', user: 'u1' });
  assert.equal(
    err.message,
    `E11000 duplicate key error collection: ${db.dbName}.memberships index: org_1_user_1 dup key: { org: "o1", user: "u1" }`,
  );
  const first = await Membership.findOne({ user: 'u2' }).lean();
  const idErr = await Membership.collection.insertOne({ _id: first!._id, org: 'x' }).catch((e) => e);
  assert.equal(idErr.code, 11000);
  assert.deepStrictEqual(idErr.keyPattern, { _id: 1 });
  assert.equal(
    idErr.message,
    `E11000 duplicate key error collection: ${db.dbName}.memberships index: _id_ dup key: { _id: ObjectId('${first!._id}') }`,
  );
});

test('refs + populate (single, array of paths, select)', async () => {
  const { Author, Post } = models();
  const [ann, bob] = await Author.create([{ name: 'Ann' }, { name: 'Bob' }]);
  await Post.create([
    { title: 'p1', author: ann._id, likes: 3 },
    { title: 'p2', author: bob._id, likes: 5 },
    { title: 'p3', author: ann._id, likes: 1 },
  ]);
  const posts = await Post.find().sort({ title: 1 }).populate('author', 'name').lean();
  assert.deepStrictEqual(
    posts.map((p) => [p.title, (p.author as unknown as { name: string }).name]),
    [
      ['p1', 'Ann'],
      ['p2', 'Bob'],
      ['p3', 'Ann'],
    ],
  );
  const one = await Post.findOne({ title: 'p2' }).populate<{ author: { name: string } }>('author');
  assert.equal(one?.author.name, 'Bob');
});

test('find with filter, sort, skip, limit and projection', async () => {
  const { User } = models();
  await User.insertMany(
    Array.from({ length: 20 }, (_, i) => ({
      email: `q${i}@x.io`,
      name: `n${i % 4}`,
      age: 20 + i,
      tags: i % 2 ? ['odd'] : ['even'],
    })),
  );
  const page = await User.find({ email: /^q/, age: { $gte: 25 } }, { email: 1, age: 1, _id: 0 })
    .sort({ age: -1 })
    .skip(2)
    .limit(3)
    .lean();
  assert.deepStrictEqual(page, [
    { email: 'q17@x.io', age: 37 },
    { email: 'q16@x.io', age: 36 },
    { email: 'q15@x.io', age: 35 },
  ]);
  const multi = await User.find({ email: /^q/ }).sort({ name: 1, age: -1 }).limit(3).select('name age -_id').lean();
  assert.deepStrictEqual(multi, [
    { name: 'n0', age: 36 },
    { name: 'n0', age: 32 },
    { name: 'n0', age: 28 },
  ]);
  const excl = await User.findOne({ email: 'q3@x.io' }).select('-tags -__v -createdAt -updatedAt').lean();
  assert.deepStrictEqual(Object.keys(excl!).sort(), ['_id', 'age', 'email', 'name', 'score']);
  assert.equal(await User.countDocuments({ tags: 'odd', email: /^q/ }), 10);
  assert.equal(await User.countDocuments({ email: { $in: ['q1@x.io', 'q2@x.io', 'nope'] } }), 2);
  assert.deepStrictEqual((await User.distinct('name', { email: /^q/ })).sort(), ['n0', 'n1', 'n2', 'n3']);
  assert.deepStrictEqual((await User.distinct('tags', { email: /^q/ })).sort(), ['even', 'odd']);
  assert.equal(await User.exists({ email: 'nobody@x.io' }), null);
});

test('findOneAndUpdate with $inc/$push/$addToSet/$set, new: true, and upsert', async () => {
  const { User } = models();
  await User.create({ email: 'fu@x.io', tags: ['a'], score: 1 });
  const updated = await User.findOneAndUpdate(
    { email: 'fu@x.io' },
    { $inc: { score: 2 }, $push: { tags: 'b' }, $set: { name: 'F' } },
    { new: true },
  ).lean();
  assert.equal(updated?.score, 3);
  assert.deepStrictEqual(updated?.tags, ['a', 'b']);
  assert.equal(updated?.name, 'F');
  const before = await User.findOneAndUpdate(
    { email: 'fu@x.io' },
    { $addToSet: { tags: { $each: ['a', 'c'] } } },
  ).lean();
  assert.deepStrictEqual(before?.tags, ['a', 'b'], 'default returns the document before the update');
  assert.deepStrictEqual((await User.findOne({ email: 'fu@x.io' }).lean())?.tags, ['a', 'b', 'c']);

  const up = await User.findOneAndUpdate(
    { email: 'new@x.io' },
    { $inc: { score: 5 }, $setOnInsert: { name: 'Inserted' } },
    { upsert: true, new: true },
  ).lean();
  assert.equal(up?.email, 'new@x.io', 'upsert copies equality fields of the filter');
  assert.equal(up?.score, 5);
  assert.equal(up?.name, 'Inserted');
  assert.ok(up?.createdAt instanceof Date, 'timestamps on upsert');
  const raw = await User.findOneAndUpdate(
    { email: 'fu@x.io' },
    { $inc: { score: 1 } },
    { includeResultMetadata: true, new: true },
  );
  assert.equal(raw.ok, 1);
  assert.equal(raw.lastErrorObject?.updatedExisting, true);
  assert.equal(raw.value?.score, 4);
});

test('updateOne/updateMany/deleteOne/deleteMany report counts', async () => {
  const { User } = models();
  await User.insertMany(Array.from({ length: 6 }, (_, i) => ({ email: `um${i}@x.io`, age: i })));
  const many = await User.updateMany({ email: /^um/, age: { $lt: 4 } }, { $inc: { score: 10 } });
  assert.equal(many.matchedCount, 4);
  assert.equal(many.modifiedCount, 4);
  assert.equal(many.acknowledged, true);
  const none = await User.updateOne({ email: 'um0@x.io' }, { $set: { age: 0 } }, { timestamps: false });
  assert.equal(none.matchedCount, 1);
  assert.equal(none.modifiedCount, 0, 'setting the same value modifies nothing');
  const ups = await User.updateOne({ email: 'um-new@x.io' }, { $set: { age: 99 } }, { upsert: true });
  assert.equal(ups.upsertedCount, 1);
  assert.ok(ups.upsertedId);
  assert.equal((await User.deleteOne({ email: 'um5@x.io' })).deletedCount, 1);
  assert.equal((await User.deleteMany({ email: /^um/ })).deletedCount, 6);
  assert.equal(await User.countDocuments({ email: /^um/ }), 0);
});

test('bulkWrite mixes inserts, updates, upserts and deletes', async () => {
  const { User } = models();
  const res = await User.bulkWrite([
    { insertOne: { document: { email: 'bw1@x.io', score: 1 } } },
    { insertOne: { document: { email: 'bw2@x.io', score: 2 } } },
    { updateOne: { filter: { email: 'bw1@x.io' }, update: { $inc: { score: 5 } } } },
    { updateMany: { filter: { email: /^bw/ }, update: { $set: { name: 'bulk' } } } },
    { updateOne: { filter: { email: 'bw3@x.io' }, update: { $set: { score: 3 } }, upsert: true } },
    { replaceOne: { filter: { email: 'bw2@x.io' }, replacement: { email: 'bw2@x.io', score: 20 } } },
    { deleteOne: { filter: { email: 'bw3@x.io' } } },
  ]);
  assert.equal(res.insertedCount, 2);
  assert.equal(res.matchedCount, 4);
  assert.equal(res.modifiedCount, 4);
  assert.equal(res.upsertedCount, 1);
  assert.equal(res.deletedCount, 1);
  const docs = await User.find({ email: /^bw/ }).sort({ email: 1 }).lean();
  assert.deepStrictEqual(
    docs.map((d) => [d.email, d.score, d.name]),
    [
      ['bw1@x.io', 6, 'bulk'],
      ['bw2@x.io', 20, undefined],
    ],
  );
});

test('insertMany / bulkWrite duplicate: ordered stops at the first error, unordered inserts the rest', async () => {
  const { User } = models();
  await User.create({ email: 'im-dup@x.io' });
  const ordered = await User.insertMany([{ email: 'im1@x.io' }, { email: 'im-dup@x.io' }, { email: 'im2@x.io' }]).catch(
    (e) => e,
  );
  assert.equal(ordered.code, 11000);
  assert.equal(await User.countDocuments({ email: { $in: ['im1@x.io', 'im2@x.io'] } }), 1);
  const unordered = await User.insertMany([{ email: 'im3@x.io' }, { email: 'im-dup@x.io' }, { email: 'im4@x.io' }], {
    ordered: false,
  }).catch((e) => e);
  assert.equal(unordered.code, 11000);
  assert.equal(unordered.writeErrors?.length, 1);
  assert.equal(unordered.writeErrors[0].index, 1);
  assert.equal(unordered.writeErrors[0].code, 11000);
  assert.equal(await User.countDocuments({ email: { $in: ['im3@x.io', 'im4@x.io'] } }), 2);
});

test('update that creates a duplicate is rejected and changes nothing', async () => {
  const { User } = models();
  await User.create([{ email: 'ud1@x.io' }, { email: 'ud2@x.io' }]);
  const err = await User.updateOne({ email: 'ud2@x.io' }, { $set: { email: 'ud1@x.io' } }).catch((e) => e);
  assert.equal(err.code, 11000);
  assert.deepStrictEqual(err.keyValue, { email: 'ud1@x.io' });
  assert.equal(await User.countDocuments({ email: 'ud2@x.io' }), 1);
});
