// Which browser origins may open a Socket.IO connection (cross-site WebSocket hijacking defence). A handshake
// carrying an Origin header must come from Parley's own origin: PUBLIC_URL's, and — outside production, or in
// production when PUBLIC_URL is unset — the origin of the Host the request was sent to. A handshake without
// Origin is not a browser page of another site (browsers always send Origin on WebSocket and cross-origin
// requests), so it goes on to the session check. Must never allow an origin because of anything the page controls
// beyond what browsers enforce, and never read the session.
import type { IncomingMessage } from 'node:http';

export interface OriginPolicy {
  publicUrl?: string;
  production: boolean;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/** The origins a request to this host may come from (the request's own host, over http and https). */
function ownHostOrigins(req: IncomingMessage): string[] {
  const host = req.headers.host;
  if (!host || !/^[A-Za-z0-9.:[\]-]{1,300}$/.test(host)) return [];
  return [`http://${host}`.toLowerCase(), `https://${host}`.toLowerCase()];
}

/** null when the handshake may go on; otherwise the reason it is refused. */
export function refusedOrigin(req: IncomingMessage, policy: OriginPolicy): string | null {
  const raw = req.headers.origin;
  if (raw === undefined) return null;
  const origin = originOf(String(raw))?.toLowerCase();
  if (!origin) return `origin ${JSON.stringify(String(raw).slice(0, 100))} is not a web origin`;
  const allowed = new Set<string>();
  const own = policy.publicUrl ? originOf(policy.publicUrl) : null;
  if (own) allowed.add(own.toLowerCase());
  if (!policy.production || !own) for (const o of ownHostOrigins(req)) allowed.add(o);
  return allowed.has(origin) ? null : `origin ${origin} is not Parley's own`;
}
