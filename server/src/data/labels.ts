// The label store (labels): names and colours of conversation labels, unique by lower-cased name. Deleting a label
// also takes it off every conversation. Records leave as plain lean objects. Must never decide who may edit them.
import type { Id } from './ids.js';
import { LabelModel, type LabelRecord } from '../models/label.js';
import { ConversationModel } from '../models/conversation.js';

export type LabelLean = LabelRecord & { _id: Id };

export interface LabelStore {
  /** Every label, by name. */
  list(): Promise<LabelLean[]>;
  /** The labels among these ids that exist. */
  existing(ids: string[]): Promise<string[]>;
  /** Creates one; rejects with a duplicate-key error when the name is taken. */
  create(fields: { name: string; color: string; createdBy: string }): Promise<LabelLean>;
  /** Renames / recolours one; null when it does not exist; a duplicate-key error when the new name is taken. */
  update(id: string, fields: { name?: string; color?: string }): Promise<LabelLean | null>;
  /** Deletes one and takes it off every conversation; answers the conversations it was on, null when none existed. */
  remove(id: string): Promise<Id[] | null>;
}

export const mongoLabels: LabelStore = {
  list: async () => (await LabelModel.find().sort({ key: 1 }).lean()) as LabelLean[],
  existing: async (ids) => (await LabelModel.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((l) => String(l._id)),
  create: async (f) =>
    (await LabelModel.create({ ...f, key: f.name.toLowerCase() })).toObject() as LabelLean,
  update: async (id, f) =>
    (await LabelModel.findByIdAndUpdate(
      id,
      { $set: { ...f, ...(f.name ? { key: f.name.toLowerCase() } : {}) } },
      { returnDocument: 'after', runValidators: true },
    ).lean()) as LabelLean | null,
  async remove(id) {
    if ((await LabelModel.deleteOne({ _id: id })).deletedCount === 0) return null;
    const on = await ConversationModel.find({ labelIds: id }, { _id: 1 }).lean();
    await ConversationModel.updateMany({ labelIds: id }, { $pull: { labelIds: id } });
    return on.map((c) => c._id as Id);
  },
};
