// Read concerns outside transactions, as far as the embedded engine can honour them: `local`, `majority`,
// `available` and `linearizable` all read the one node's latest data, which is what they promise here; `snapshot`
// (a point-in-time read) cannot be served, so find/aggregate/distinct refuse it as not supported instead of
// silently answering newer data, and every other command refuses it like MongoDB (InvalidOptions 72). Pure: must
// never read or change anything.
import type { Document } from 'bson';
import { CommandError, Codes } from './errors.js';
import { isPlainObject } from './values.js';

const SNAPSHOT_READS = new Set(['find', 'aggregate', 'distinct']);

/** Throws when `readConcern` (of a command outside a transaction) asks for what the engine cannot do. */
export function checkReadConcern(command: string, readConcern: unknown): void {
  if (!isPlainObject(readConcern) || (readConcern as Document).level !== 'snapshot') return;
  if (SNAPSHOT_READS.has(command)) {
    throw new CommandError(
      Codes.NotImplemented,
      `readConcern level 'snapshot' outside a transaction (snapshot reads) is not supported by the embedded database engine`,
    );
  }
  throw new CommandError(
    Codes.InvalidOptions,
    `Command ${command} does not support { readConcern: { level: "snapshot" } } :: caused by :: read concern not supported`,
  );
}
