// The canned reply store (canned_replies): short texts agents insert by shortcut, unique per shortcut. Records
// leave as plain lean objects. Must never decide who may edit them (the routes' permissions do).
import type { Id } from './ids.js';
import { CannedReplyModel, type CannedReplyRecord } from '../models/canned-reply.js';

export type CannedReplyLean = CannedReplyRecord & { _id: Id };
export type CannedReplyFields = Pick<CannedReplyRecord, 'shortcut' | 'title' | 'text'>;

export interface CannedReplyStore {
  /** Every canned reply, by shortcut. */
  list(): Promise<CannedReplyLean[]>;
  /** Creates one; rejects with a duplicate-key error when the shortcut is taken. */
  create(fields: CannedReplyFields & { createdBy: string }): Promise<CannedReplyLean>;
  /** Changes one; null when it does not exist; a duplicate-key error when the new shortcut is taken. */
  update(id: string, fields: Partial<CannedReplyFields>): Promise<CannedReplyLean | null>;
  /** Deletes one; false when it did not exist. */
  remove(id: string): Promise<boolean>;
}

export const mongoCannedReplies: CannedReplyStore = {
  list: async () => (await CannedReplyModel.find().sort({ shortcut: 1 }).lean()) as CannedReplyLean[],
  create: async (fields) => (await CannedReplyModel.create(fields)).toObject() as CannedReplyLean,
  update: async (id, fields) =>
    (await CannedReplyModel.findByIdAndUpdate(id, { $set: fields }, { returnDocument: 'after' }).lean()) as
      CannedReplyLean | null,
  remove: async (id) => (await CannedReplyModel.deleteOne({ _id: id })).deletedCount > 0,
};
