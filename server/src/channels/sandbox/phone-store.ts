// The simulated customer phone's own side of the sandbox: what the phone page shows of a message (kept by the
// sandbox phone store, data/sandbox-phone.ts), plus an in-process hub that pushes the business's replies to open
// /sandbox pages. This is the fake provider's side, not Parley's inbox: it never reads Parley's records.
import { EventEmitter } from 'node:events';
import type { PhoneMessage } from '../../../../shared/src/index.js';

export { sandboxPhoneStore, type SandboxMessageRecord } from '../../data/sandbox-phone.js';

export type { PhoneMessage };

export function toPhoneMessage(m: {
  providerMessageId: string;
  from: string;
  kind: string;
  text?: string | null;
  createdAt?: Date | null;
  media?: { mimeType?: string | null; filename?: string | null } | null;
}): PhoneMessage {
  const out: PhoneMessage = {
    id: m.providerMessageId,
    from: m.from as PhoneMessage['from'],
    kind: m.kind,
    text: m.text ?? null,
    at: (m.createdAt ?? new Date()).toISOString(),
  };
  if (m.media?.mimeType) {
    out.media = {
      url: `/sandbox/api/media/${encodeURIComponent(m.providerMessageId)}`,
      mimeType: m.media.mimeType,
      filename: m.media.filename ?? 'file',
    };
  }
  return out;
}

export interface PhoneEvent {
  channelId: string;
  phone: string;
  message: PhoneMessage;
}

class PhoneHub extends EventEmitter {
  deliver(e: PhoneEvent): void {
    this.emit('message', e);
  }
}
/** In-process: replies stored by sendSandbox reach the SSE streams of /sandbox pages open in this process. */
export const phoneHub = new PhoneHub();
phoneHub.setMaxListeners(0);
