// Every environment variable the server reads, validated by one zod schema. A bad value stops the
// process with a message naming the variable. Must never read process.env anywhere else in the server.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = (what: string) => z.url({ error: `must be a URL (${what})` }).transform((v) => v.replace(/\/+$/, ''));

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Listen address; unset: 127.0.0.1 outside production (only this machine), 0.0.0.0 in production. */
  HOST: optionalString,
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a plain database name')
    .default('parley'),
  EMBEDDED_DB_IN_MEMORY: bool.default(false),
  SESSION_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  SESSION_MAX_AGE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24 * 7),
  ADMIN_EMAIL: optionalString.pipe(z.email({ error: 'must be an email address' }).optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(10, 'must be at least 10 characters').optional()),
  PUBLIC_URL: optionalString.pipe(
    url('the address customers and agents use, e.g. https://inbox.example.com').optional(),
  ),
  BUSINESS_NAME: z.string().min(1).max(120).default('Parley'),
  /** The business's language (es, en, pt, fr, it, de; "pt-BR" is read as pt): automatic customer messages use it
   *  when the customer's own language cannot be told. */
  BUSINESS_LOCALE: z
    .string()
    .trim()
    .transform((v) => v.toLowerCase().split(/[-_]/)[0])
    .pipe(z.enum(['es', 'en', 'pt', 'fr', 'it', 'de'], { message: 'must be one of es, en, pt, fr, it, de (or pt-BR)' }))
    .default('en'),
  SANDBOX: bool.optional(),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  GRAPH_API_BASE_URL: url('Graph API base').default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v23.0')
    .default('v23.0'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  WHATSAPP_WEB_AUTOSTART: bool.default(true),
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_BUSINESS_ACCOUNT_ID: optionalString,
  /** The env WhatsApp number as customers see it (tracked links open wa.me/<it>); webhooks also report it. */
  WHATSAPP_DISPLAY_PHONE_NUMBER: optionalString.pipe(
    z
      .string()
      .regex(
        /^\+?\d[\d ().-]*$/,
        'must be the business phone number in international format, digits with an optional +, e.g. +34 910 000 001',
      )
      .refine((v) => /^\d{6,15}$/.test(v.replace(/\D/g, '')), 'must have 6 to 15 digits (country code included)')
      .optional(),
  ),
  MESSENGER_PAGE_ID: optionalString,
  MESSENGER_PAGE_TOKEN: optionalString,
  MESSENGER_APP_SECRET: optionalString,
  MESSENGER_VERIFY_TOKEN: optionalString,
  CAPI_DATASET_ID: optionalString,
  CAPI_ACCESS_TOKEN: optionalString,
  CAPI_REQUIRE_CONSENT: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '' || v === '0' || v === 'false') return false;
      if (v === '1' || v === 'true') return 1;
      const n = Number(v);
      if (Number.isInteger(n) && n >= 0) return n;
      ctx.addIssue({ code: 'custom', message: 'must be a number of proxy hops (0, 1, 2 …) or true/false' });
      return z.NEVER;
    }),
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb or 512kb')
    .default('1mb'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(1_000),
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
  INTAKE_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How often snoozed conversations whose time has come are reopened. */
  SNOOZE_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  MARKETING_RETRY_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  WEBHOOK_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(14),
  // --- customer protection: key of the suppression hashes of erased contacts (else kept in DATA_DIR) ---
  SUPPRESSION_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  // --- customer protection: retention of message bodies (0 = keep) ---
  MESSAGE_BODY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36500).default(0),
  // --- customer protection: outbound guard (frequency cap, content policy) ---
  FREQUENCY_CAP_MAX: z.coerce.number().int().min(0).max(100).default(2),
  FREQUENCY_CAP_DAYS: z.coerce.number().positive().max(365).default(7),
  FREQUENCY_CAP_UNANSWERED: z.coerce.number().int().min(0).max(100).default(2),
  CONTENT_POLICY_ACTIONS: z
    .string()
    .default('review_incentive=block,review_change=block,off_platform_contact=hold')
    .refine(
      (v) =>
        v
          .split(',')
          .every(
            (p) =>
              !p.trim() ||
              /^(review_incentive|review_change|review_positive|pressure|off_platform_contact)=(block|hold)$/.test(
                p.trim(),
              ),
          ),
      {
        message:
          'must be a comma-separated list of rule=block|hold (rules: review_incentive, review_change, review_positive, pressure, off_platform_contact)',
      },
    ),
  // ---
});

type Parsed = z.infer<typeof ConfigSchema>;
export type Config = Omit<Parsed, 'HOST' | 'SESSION_SECRET' | 'SUPPRESSION_SECRET'> & {
  HOST: string;
  SESSION_SECRET: string;
  /** Key of the suppression hashes (HMAC): SUPPRESSION_SECRET, or generated once in DATA_DIR. */
  SUPPRESSION_SECRET: string;
  /** Absolute data folder. */
  dataDir: string;
  /** /sandbox enabled: always outside production, in production only with SANDBOX=1. */
  sandboxEnabled: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates an environment (default: process.env). Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => {
        const name = String(i.path[0] ?? '(environment)');
        return `${name}: ${i.message}${name in env ? ` (got ${JSON.stringify(redact(name, env[name]))})` : ''}`;
      }),
    );
  }
  const c = result.data;
  const problems: string[] = [];
  if (c.NODE_ENV === 'production') {
    if (!c.SESSION_SECRET) problems.push('SESSION_SECRET: required in production (at least 32 random characters)');
    if (c.EMBEDDED_DB_IN_MEMORY)
      problems.push('EMBEDDED_DB_IN_MEMORY: must not be set in production (data would be lost)');
    if (c.ADMIN_EMAIL && !c.ADMIN_PASSWORD)
      problems.push('ADMIN_PASSWORD: required in production when ADMIN_EMAIL is set');
  }
  if (c.REDIS_URL && !c.SUPPRESSION_SECRET)
    problems.push(
      'SUPPRESSION_SECRET: required when several processes share the database (REDIS_URL is set), so that every ' +
        'process recognises erased contacts with the same key (at least 32 random characters)',
    );
  if (problems.length) throw new ConfigError(problems);
  const dataDir = resolve(c.DATA_DIR);
  return {
    ...c,
    HOST: c.HOST ?? (c.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    dataDir,
    SESSION_SECRET: c.SESSION_SECRET ?? developmentSessionSecret(dataDir, c.EMBEDDED_DB_IN_MEMORY),
    SUPPRESSION_SECRET:
      c.SUPPRESSION_SECRET ?? dataFolderSecret(dataDir, '.suppression-secret', c.EMBEDDED_DB_IN_MEMORY),
    sandboxEnabled: c.NODE_ENV !== 'production' || c.SANDBOX === true,
  };
}

function redact(name: string, value: string | undefined): string | undefined {
  return /SECRET|TOKEN|PASSWORD/.test(name) ? '***' : value;
}

/**
 * Outside production a missing SESSION_SECRET is generated once and kept in the data folder, so sessions
 * survive restarts without any setup. In-memory runs (tests) get a throwaway one.
 */
function developmentSessionSecret(dataDir: string, inMemory: boolean): string {
  return dataFolderSecret(dataDir, '.session-secret', inMemory);
}

/**
 * A secret generated once and kept (mode 0600) in the data folder, so it survives restarts without setup; a
 * throwaway one for in-memory runs, whose data does not survive either.
 */
function dataFolderSecret(dataDir: string, name: string, inMemory: boolean): string {
  if (inMemory) return randomBytes(32).toString('hex');
  const file = join(dataDir, name);
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
