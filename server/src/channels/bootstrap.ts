// Channels created or updated from the environment at start: a WhatsApp Cloud number (WHATSAPP_*), a Messenger page
// (MESSENGER_*), and — when the sandbox is enabled — one sandbox channel with its own generated app secret.
// Must never log a secret and never overwrite a console-managed channel's name.
import { randomBytes, randomInt } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { mongoChannels as channels } from '../data/channels.js';
import { isDuplicateKey } from '../data/errors.js';

type Env = Pick<
  Config,
  | 'WHATSAPP_PHONE_NUMBER_ID'
  | 'WHATSAPP_ACCESS_TOKEN'
  | 'WHATSAPP_APP_SECRET'
  | 'WHATSAPP_VERIFY_TOKEN'
  | 'WHATSAPP_BUSINESS_ACCOUNT_ID'
  | 'WHATSAPP_DISPLAY_PHONE_NUMBER'
  | 'MESSENGER_PAGE_ID'
  | 'MESSENGER_PAGE_TOKEN'
  | 'MESSENGER_APP_SECRET'
  | 'MESSENGER_VERIFY_TOKEN'
  | 'sandboxEnabled'
>;

export const SANDBOX_DISPLAY_NUMBER = '+1 555 0100';

/** Fresh identifiers and secrets for a sandbox channel (also for sandbox channels created in the console). */
export function newSandboxChannelFields(): {
  externalId: string;
  secrets: { appSecret: string; verifyToken: string };
  displayNumber: string;
} {
  return {
    // A numeric id shaped like a phone_number_id; the 9 prefix keeps it apart from Meta's real ids in logs.
    externalId: `9${String(randomInt(10 ** 9, 10 ** 10 - 1))}${String(randomInt(10 ** 4, 10 ** 5 - 1))}`,
    secrets: { appSecret: randomBytes(32).toString('hex'), verifyToken: randomBytes(16).toString('hex') },
    displayNumber: SANDBOX_DISPLAY_NUMBER,
  };
}

export async function bootstrapChannels(config: Env, logger: Logger): Promise<void> {
  const wa = {
    WHATSAPP_PHONE_NUMBER_ID: config.WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_ACCESS_TOKEN: config.WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_APP_SECRET: config.WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: config.WHATSAPP_VERIFY_TOKEN,
  };
  if (complete(wa, logger, 'WhatsApp Cloud')) {
    await upsertEnvChannel({
      kind: 'whatsapp-cloud',
      externalId: config.WHATSAPP_PHONE_NUMBER_ID!,
      name: 'WhatsApp',
      secrets: {
        accessToken: config.WHATSAPP_ACCESS_TOKEN!,
        appSecret: config.WHATSAPP_APP_SECRET!,
        verifyToken: config.WHATSAPP_VERIFY_TOKEN!,
      },
      config: config.WHATSAPP_BUSINESS_ACCOUNT_ID ? { businessAccountId: config.WHATSAPP_BUSINESS_ACCOUNT_ID } : {},
      displayNumber: config.WHATSAPP_DISPLAY_PHONE_NUMBER,
    });
    logger.info(
      { phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID },
      'WhatsApp Cloud channel configured from environment',
    );
  }
  const ms = {
    MESSENGER_PAGE_ID: config.MESSENGER_PAGE_ID,
    MESSENGER_PAGE_TOKEN: config.MESSENGER_PAGE_TOKEN,
    MESSENGER_APP_SECRET: config.MESSENGER_APP_SECRET,
    MESSENGER_VERIFY_TOKEN: config.MESSENGER_VERIFY_TOKEN,
  };
  if (complete(ms, logger, 'Messenger')) {
    await upsertEnvChannel({
      kind: 'messenger',
      externalId: config.MESSENGER_PAGE_ID!,
      name: 'Messenger',
      secrets: {
        pageToken: config.MESSENGER_PAGE_TOKEN!,
        appSecret: config.MESSENGER_APP_SECRET!,
        verifyToken: config.MESSENGER_VERIFY_TOKEN!,
      },
      config: {},
    });
    logger.info({ pageId: config.MESSENGER_PAGE_ID }, 'Messenger channel configured from environment');
  }
  if (config.sandboxEnabled) await ensureSandboxChannel(logger);
}

/** All four variables, or none: a partial set is reported (by name) and ignored. */
function complete(vars: Record<string, string | undefined>, logger: Logger, what: string): boolean {
  const missing = Object.entries(vars)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length === 0) return true;
  if (missing.length < Object.keys(vars).length) {
    logger.warn({ missing }, `${what} channel not configured from environment: missing ${missing.join(', ')}`);
  }
  return false;
}

async function upsertEnvChannel(c: {
  kind: 'whatsapp-cloud' | 'messenger';
  externalId: string;
  name: string;
  secrets: Record<string, string>;
  config: Record<string, unknown>;
  /** The number customers see (WHATSAPP_DISPLAY_PHONE_NUMBER), when set. */
  displayNumber?: string;
}): Promise<void> {
  const existing = await channels.findWithSecrets(c.kind, c.externalId);
  if (existing && c.displayNumber && existing.displayNumber !== c.displayNumber) {
    await channels.set(String(existing._id), { displayNumber: c.displayNumber });
  }
  if (!existing) {
    try {
      await channels.create({
        kind: c.kind,
        externalId: c.externalId,
        name: c.name,
        secrets: c.secrets,
        config: c.config,
        ...(c.displayNumber ? { displayNumber: c.displayNumber } : {}),
        state: 'ready',
        source: 'env',
      });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // another process created it meanwhile
    }
  }
  const current = (existing?.secrets ?? {}) as Record<string, string>;
  const merged = { ...current, ...c.secrets };
  const changed = Object.keys(merged).some((k) => merged[k] !== current[k]) || !existing;
  if (changed) {
    await channels.updateSecrets(c.kind, c.externalId, merged, c.config);
  }
}

async function ensureSandboxChannel(logger: Logger): Promise<void> {
  const existing = await channels.oldestSandbox(false);
  if (existing) return;
  const fields = newSandboxChannelFields();
  await channels.create({
    kind: 'sandbox',
    name: 'Sandbox',
    externalId: fields.externalId,
    secrets: fields.secrets,
    displayNumber: fields.displayNumber,
    config: { displayNumber: fields.displayNumber },
    state: 'ready',
    source: 'env',
  });
  logger.info('sandbox channel created (simulated customer phone at /sandbox)');
}
