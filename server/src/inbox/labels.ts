// Conversation labels: list (anyone who reads conversations), create / rename / recolour / delete (the routes
// check labels:manage). Deleting a label takes it off its conversations, each published as conversation.updated.
// Must never emit socket events directly and never decide permissions (the routes do).
import type { CreateLabelBody, Label, UpdateLabelBody } from '../../../shared/src/index.js';
import type { EventBus } from '../events/bus.js';
import { conflict, notFound } from '../errors.js';
import { isDuplicateKey } from '../data/errors.js';
import { isId } from '../data/ids.js';
import { mongoLabels, type LabelLean, type LabelStore } from '../data/labels.js';
import { publishConversation } from './conversations.js';

const view = (l: LabelLean): Label => ({ id: String(l._id), name: l.name, color: l.color });
const taken = (name?: string) => conflict('label_exists', `A label named "${name}" already exists`);

export class LabelService {
  constructor(
    readonly bus: EventBus,
    private readonly labels: LabelStore = mongoLabels,
  ) {}

  async list(): Promise<Label[]> {
    return (await this.labels.list()).map(view);
  }

  async create(body: CreateLabelBody, byUserId: string): Promise<Label> {
    try {
      return view(await this.labels.create({ ...body, createdBy: byUserId }));
    } catch (err) {
      throw isDuplicateKey(err) ? taken(body.name) : err;
    }
  }

  async update(id: string, body: UpdateLabelBody): Promise<Label> {
    if (!isId(id)) throw notFound('Label');
    try {
      const doc = await this.labels.update(id, body);
      if (!doc) throw notFound('Label');
      return view(doc);
    } catch (err) {
      throw isDuplicateKey(err) ? taken(body.name) : err;
    }
  }

  async remove(id: string): Promise<void> {
    if (!isId(id)) throw notFound('Label');
    const on = await this.labels.remove(id);
    if (!on) throw notFound('Label');
    for (const conversationId of on) await publishConversation(this, conversationId);
  }
}
