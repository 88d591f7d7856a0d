// Suppression storage: the keyed hashes of erased contacts' identifiers (is any of these hashes known, record one),
// the key fingerprint kept beside them (parley_meta), and the re-keying of hashes stored by older versions. Must
// never hold a clear identifier or the key itself.
import mongoose from 'mongoose';
import { SuppressionModel } from '../models/suppression.js';
import type { Id } from './ids.js';

const META_COLLECTION = 'parley_meta';
const META_ID = 'suppression-key';

export interface SuppressionStore {
  /** True when any of these hashes is stored. */
  anyOf(hashes: string[]): Promise<boolean>;
  /** Stores one hash (kept as first stored when it is already there). */
  add(hash: string, contactId: Id, erasedAt: Date): Promise<void>;
  /** The fingerprint of the key the stored hashes were made with, or null before the first start. */
  keyFingerprint(): Promise<string | null>;
  /** Records the fingerprint (only when none is stored). */
  saveKeyFingerprint(fingerprint: string): Promise<void>;
  /** True when some stored hash is already keyed. */
  anyKeyed(): Promise<boolean>;
  /** Up to `limit` hashes stored unkeyed by older versions. */
  unkeyed(limit: number): Promise<Array<{ _id: Id; hash: string }>>;
  /** Replaces one unkeyed hash with its keyed form; false when it was re-keyed meanwhile. */
  rekey(id: Id, keyedHash: string): Promise<boolean>;
}

function meta() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<{ _id: string; fingerprint: string }>(META_COLLECTION);
}

export const mongoSuppressionStore: SuppressionStore = {
  async anyOf(hashes) {
    return Boolean(await SuppressionModel.exists({ hash: { $in: hashes } }));
  },
  async add(hash, contactId, erasedAt) {
    await SuppressionModel.updateOne(
      { hash },
      { $setOnInsert: { hash, keyed: true, erasedAt, contactId } },
      { upsert: true },
    );
  },
  async keyFingerprint() {
    return (await meta().findOne({ _id: META_ID }))?.fingerprint ?? null;
  },
  async saveKeyFingerprint(fingerprint) {
    await meta().updateOne({ _id: META_ID }, { $setOnInsert: { fingerprint } }, { upsert: true });
  },
  async anyKeyed() {
    return Boolean(await SuppressionModel.exists({ keyed: true }));
  },
  async unkeyed(limit) {
    return SuppressionModel.find({ keyed: { $ne: true } })
      .select('hash')
      .limit(limit)
      .lean();
  },
  async rekey(id, keyedHash) {
    const res = await SuppressionModel.updateOne(
      { _id: id, keyed: { $ne: true } },
      { $set: { hash: keyedHash, keyed: true } },
    );
    return res.modifiedCount === 1;
  },
};
