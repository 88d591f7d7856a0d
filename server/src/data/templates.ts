// Message template storage: the list (all, or approved only), the one a send names, create, edit in place and
// delete. Must never send anything, and never decide approval (the caller says what changes).
import { MessageTemplateModel, type MessageTemplateRecord } from '../models/message-template.js';
import { toId, type Id } from './ids.js';

export type { MessageTemplateRecord };
export type TemplateLean = MessageTemplateRecord & { _id: Id; updatedAt?: Date | null };

export interface TemplateFields {
  name: string;
  language: string;
  category: 'marketing' | 'utility' | 'authentication';
  body: string;
  approved: boolean;
}

export interface TemplateStore {
  list(opts: { approvedOnly: boolean }): Promise<TemplateLean[]>;
  byNameAndLanguage(name: string, language: string): Promise<TemplateLean | null>;
  /** Whether another template (not `exceptId`) has this name and language. */
  exists(name: string, language: string, exceptId?: Id): Promise<boolean>;
  create(fields: TemplateFields, createdBy: string): Promise<TemplateLean>;
  /** Loads the template, lets `change` decide the fields to set from it, saves them; null when there is none. */
  edit(id: string, change: (current: TemplateLean) => Promise<Partial<TemplateFields>>): Promise<TemplateLean | null>;
  /** Deletes and answers what was deleted. */
  remove(id: string): Promise<TemplateLean | null>;
  /**
   * Applies a provider lifecycle change to the template with this provider id, else this name and language; answers
   * it as it was before (null when Parley has no such template).
   */
  applyProvider(
    match: { name: string; language: string; providerTemplateId?: string },
    set: Partial<Pick<TemplateLean, 'category' | 'providerStatus' | 'providerStatusReason' | 'providerStatusAt'>> & {
      providerTemplateId?: string;
    },
  ): Promise<TemplateLean | null>;
}

export const mongoTemplateStore: TemplateStore = {
  async list({ approvedOnly }) {
    return MessageTemplateModel.find(approvedOnly ? { approved: true } : {})
      .sort({ name: 1, language: 1 })
      .lean();
  },
  async byNameAndLanguage(name, language) {
    return MessageTemplateModel.findOne({ name, language }).lean();
  },
  async exists(name, language, exceptId) {
    return Boolean(
      await MessageTemplateModel.exists({ name, language, ...(exceptId ? { _id: { $ne: exceptId } } : {}) }),
    );
  },
  async create(fields, createdBy) {
    const t = await MessageTemplateModel.create({ ...fields, createdBy: toId(createdBy) });
    return t.toObject();
  },
  async edit(id, change) {
    const t = await MessageTemplateModel.findById(id);
    if (!t) return null;
    t.set(await change(t.toObject()));
    await t.save();
    return t.toObject();
  },
  async remove(id) {
    return MessageTemplateModel.findByIdAndDelete(id).lean();
  },
  async applyProvider(match, set) {
    const byId = match.providerTemplateId ? { providerTemplateId: match.providerTemplateId } : null;
    const byName = { name: match.name, language: match.language };
    return MessageTemplateModel.findOneAndUpdate(byId ? { $or: [byId, byName] } : byName, { $set: set }, {
      returnDocument: 'before',
    }).lean();
  },
};
