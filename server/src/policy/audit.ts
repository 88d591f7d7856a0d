// Appends to the hash-chained audit trail. Every module that must leave a trace (logins, sends, refusals, holds,
// reveals, exports, erasures, consent, role and channel changes) calls recordAudit and awaits it. Entries are
// never edited or deleted. Must never store a customer's real phone number or message body in an entry.
import { createHash } from 'node:crypto';
import { mongoAuditStore, type AuditStore } from '../data/audit.js';

export interface AuditInput {
  actor: { type: 'user' | 'integration' | 'customer' | 'system'; id?: string | null; name?: string | null };
  action: string;
  target?: { type: string; id: string } | null;
  details?: Record<string, unknown>;
  at?: Date;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON (sorted keys) so the same content always hashes the same. */
export function canonical(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export interface HashedContent {
  seq: number;
  at: Date;
  actor: { type: AuditInput['actor']['type']; id: string | null; name: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  details: unknown;
}

export function entryHash(prevHash: string, e: HashedContent): string {
  const content = canonical({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    details: e.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** Appends to one store's chain. Appends are serialised in this process; across processes the unique seq makes a
 * racing append retry. */
export class AuditTrail {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly store: AuditStore) {}

  record(input: AuditInput): Promise<void> {
    const run = this.tail.then(() => this.append(input));
    this.tail = run.catch(() => {});
    return run;
  }

  private async append(input: AuditInput): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const last = await this.store.last();
      const content: HashedContent = {
        seq: (last?.seq ?? 0) + 1,
        at: input.at ?? new Date(),
        actor: { type: input.actor.type, id: input.actor.id ?? null, name: input.actor.name ?? null },
        action: input.action,
        target: { type: input.target?.type ?? null, id: input.target?.id ?? null },
        details: input.details ?? {},
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const r = await this.store.append({ ...content, prevHash, hash: entryHash(prevHash, content) });
      if (r === 'ok') return;
      // 'taken': another process took this seq: retry
    }
    throw new Error('audit trail: could not append after 20 attempts');
  }
}

/** The process's trail in the database. */
export const auditTrail = new AuditTrail(mongoAuditStore);

export function recordAudit(input: AuditInput): Promise<void> {
  return auditTrail.record(input);
}

/** The audit actor for a logged-in staff user. */
export const userActor = (u: { id: string; name?: string | null; email?: string | null }): AuditInput['actor'] => ({
  type: 'user',
  id: u.id,
  name: u.name ?? u.email ?? null,
});
