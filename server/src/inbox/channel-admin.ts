// Channel management for admins: list (members see their own channels), create from the console with
// write-only secrets, delete when unused. Must never return secrets and never talk to providers.
import { randomBytes, randomInt } from 'node:crypto';
import type { Channel, ChannelState, CreateChannelBody } from '../../../shared/src/index.js';
import { can, seesAllChannels } from '../auth/permissions.js';
import type { AuthUser } from '../auth/passport.js';
import { conflict, notFound } from '../errors.js';
import { mongoChannels } from '../data/channels.js';
import { isDuplicateKey } from '../data/errors.js';
import { mongoConversations } from '../data/conversations.js';
import { isId, toId } from '../data/ids.js';
import { toChannelView } from './views.js';
import { recordAudit, type AuditInput } from '../policy/audit.js';

export async function listChannels(user: AuthUser): Promise<Channel[]> {
  const ids = can(user, 'channels:manage') || seesAllChannels(user) ? null : user.channelIds.filter(isId).map(toId);
  const rows = await mongoChannels.list(ids);
  return rows.map(toChannelView);
}

function recordFor(body: CreateChannelBody): {
  externalId: string;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  displayNumber: string | null;
  state: ChannelState;
} {
  switch (body.kind) {
    case 'whatsapp-cloud': {
      const { phoneNumberId, businessAccountId, displayNumber, accessToken, appSecret, verifyToken } = body.config;
      return {
        externalId: phoneNumberId,
        config: { businessAccountId: businessAccountId ?? null },
        secrets: { accessToken, appSecret, verifyToken },
        displayNumber: displayNumber ?? null,
        state: 'ready',
      };
    }
    case 'messenger': {
      const { pageId, pageToken, appSecret, verifyToken } = body.config;
      return {
        externalId: pageId,
        config: {},
        secrets: { pageToken, appSecret, verifyToken },
        displayNumber: null,
        state: 'ready',
      };
    }
    case 'sandbox':
      return {
        externalId: String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000, 999_999)),
        config: {},
        secrets: { appSecret: randomBytes(32).toString('hex') },
        displayNumber: body.config.displayNumber ?? '+1 555 0100',
        state: 'ready',
      };
    case 'whatsapp-web':
      return {
        externalId: `wweb-${randomBytes(6).toString('hex')}`,
        config: {},
        secrets: {},
        displayNumber: null,
        state: 'idle',
      };
  }
}

export async function createChannel(body: CreateChannelBody, by?: AuditInput['actor']): Promise<Channel> {
  const rec = recordFor(body);
  if (await mongoChannels.exists(body.kind, rec.externalId)) {
    throw conflict('channel_exists', `A ${body.kind} channel for ${rec.externalId} already exists`);
  }
  try {
    const doc = await mongoChannels.create({ kind: body.kind, name: body.name, source: 'console', ...rec });
    if (by)
      await recordAudit({
        actor: by,
        action: 'channel.created',
        target: { type: 'channel', id: String(doc._id) },
        details: { kind: body.kind, name: body.name },
      });
    return toChannelView(doc);
  } catch (err) {
    if (isDuplicateKey(err))
      throw conflict('channel_exists', `A ${body.kind} channel for ${rec.externalId} already exists`);
    throw err;
  }
}

export async function deleteChannel(id: string, by?: AuditInput['actor']): Promise<void> {
  if (!isId(id)) throw notFound('Channel');
  const ch = await mongoChannels.get(id);
  if (!ch) throw notFound('Channel');
  if (await mongoConversations.anyOnChannel(ch._id)) {
    throw conflict(
      'channel_in_use',
      'This channel has conversations; they would lose their inbox. Keep it, or erase its conversations first.',
    );
  }
  await mongoChannels.remove(ch._id);
  if (by)
    await recordAudit({
      actor: by,
      action: 'channel.deleted',
      target: { type: 'channel', id: String(ch._id) },
      details: { kind: ch.kind, name: ch.name },
    });
}
