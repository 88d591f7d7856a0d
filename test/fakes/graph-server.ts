// A local fake of Meta's Graph API for tests: WhatsApp Cloud send + media upload/download, Messenger Send API,
// Conversions API. Records every request and can answer with real error bodies (131047, 131050, 130429, 500) or
// drop the connection. Must never be used outside tests.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or null for multipart/binary. */
  json: any;
  raw: Buffer;
}

export type FakeReply = { status: number; body: unknown; delayMs?: number } | 'drop';

const ERROR_BODIES: Record<string, { status: number; message: string; type: string }> = {
  '131047': { status: 400, message: 'Re-engagement message', type: 'OAuthException' },
  '131050': {
    status: 400,
    message:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    type: 'OAuthException',
  },
  '130429': { status: 400, message: 'Rate limit hit', type: 'OAuthException' },
  '131026': { status: 400, message: 'Message Undeliverable', type: 'OAuthException' },
  '131056': {
    status: 400,
    message: '(Business Account, Consumer Account) pair rate limit hit',
    type: 'OAuthException',
  },
};

/** A Graph error reply with the provider's real body shape. */
export function graphError(code: 131047 | 131050 | 130429 | 131026 | 131056 | 500): FakeReply {
  if (code === 500) {
    return {
      status: 500,
      body: {
        error: {
          message: 'An unknown error has occurred.',
          type: 'OAuthException',
          code: 1,
          is_transient: true,
          fbtrace_id: 'AFAKE500',
        },
      },
    };
  }
  const e = ERROR_BODIES[String(code)];
  return {
    status: e.status,
    body: {
      error: {
        message: `(#${code}) ${e.message}`,
        type: e.type,
        code,
        error_data: { messaging_product: 'whatsapp', details: e.message },
        fbtrace_id: `AFAKE${code}`,
      },
    },
  };
}

export class FakeGraphServer {
  readonly requests: RecordedRequest[] = [];
  readonly media = new Map<string, { bytes: Buffer; mimeType: string }>();
  private readonly script: FakeReply[] = [];
  private server?: Server;
  baseUrl = '';

  /** The next n message-sending requests get these replies, in order (then normal success resumes). */
  replyNext(...replies: FakeReply[]): void {
    this.script.push(...replies);
  }

  /** Requests that sent a message (Cloud or Messenger). */
  sends(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let json: any = null;
        if ((req.headers['content-type'] ?? '').includes('application/json')) {
          try {
            json = JSON.parse(raw.toString('utf8'));
          } catch {
            json = null;
          }
        }
        const path = (req.url ?? '/').split('?')[0];
        this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, json, raw });
        const reply = this.route(req.method ?? 'GET', path, json);
        if (reply === 'drop') {
          req.socket.destroy();
          return;
        }
        if (reply.delayMs) {
          setTimeout(() => this.write(res, reply), reply.delayMs);
          return;
        }
        this.write(res, reply);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  private write(res: import('node:http').ServerResponse, reply: { status: number; body: unknown }): void {
    if (Buffer.isBuffer(reply.body)) {
      res.writeHead(reply.status, { 'content-type': 'application/octet-stream' });
      res.end(reply.body);
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private route(method: string, path: string, json: any): FakeReply {
    const parts = path.split('/').filter(Boolean); // [version, id, edge?]
    if (method === 'GET' && parts[0] === 'media-bytes') {
      const m = this.media.get(parts[1]);
      return m ? { status: 200, body: m.bytes } : { status: 404, body: { error: { message: 'not found', code: 100 } } };
    }
    if (method === 'GET' && parts.length === 2) {
      const m = this.media.get(parts[1]);
      if (!m)
        return {
          status: 400,
          body: { error: { message: 'Unsupported get request', code: 100, type: 'GraphMethodException' } },
        };
      return {
        status: 200,
        body: {
          url: `${this.baseUrl}/media-bytes/${parts[1]}`,
          mime_type: m.mimeType,
          id: parts[1],
          file_size: m.bytes.length,
          messaging_product: 'whatsapp',
        },
      };
    }
    if (method === 'POST' && parts[2] === 'media') {
      const id = `${Date.now()}${randomBytes(3).readUIntBE(0, 3)}`;
      return { status: 200, body: { id } };
    }
    if (method === 'POST' && parts[2] === 'messages') {
      const scripted = this.script.shift();
      if (scripted) return scripted;
      if (json?.messaging_product === 'whatsapp') {
        return {
          status: 200,
          body: {
            messaging_product: 'whatsapp',
            contacts: [{ input: json.to, wa_id: json.to }],
            messages: [{ id: `wamid.FAKE${randomBytes(8).toString('hex')}` }],
          },
        };
      }
      return {
        status: 200,
        body: { recipient_id: json?.recipient?.id ?? 'psid', message_id: `m_FAKE${randomBytes(8).toString('hex')}` },
      };
    }
    if (method === 'POST' && parts[2] === 'events') {
      return {
        status: 200,
        body: { events_received: Array.isArray(json?.data) ? json.data.length : 0, fbtrace_id: 'AFAKECAPI' },
      };
    }
    return { status: 404, body: { error: { message: `Unknown path ${path}`, code: 803 } } };
  }
}
