// The per-command execution context handed to every command handler of the embedded engine (store, cursors,
// transactions, the Writer collecting journal records) and the handler signature.
// Must never hold state beyond one command (engine-wide state lives in the objects it references).
import type { Document } from 'bson';
import type { CursorManager } from './cursors.js';
import type { Store, Writer } from './store.js';
import type { Txn, TxnManager } from './txn.js';

export interface ServerInfo {
  /** What clients dial: the socket path (hello's me/hosts/primary, replSetGetStatus). */
  address: string;
  setName: string;
  startedAt: Date;
  /** The engine's write health (serverStatus reports it); set by the Engine. */
  health?: () => Document;
}

export interface CommandContext {
  store: Store;
  cursors: CursorManager;
  txns: TxnManager;
  server: ServerInfo;
  /** Database the command targets ($db). */
  db: string;
  writer: Writer;
  txn: Txn | null;
  lsid: string | null;
  connectionId: number;
  remote: string;
}

export type Handler = (cmd: Document, ctx: CommandContext) => Document;
