// Development log output: each pino record as one short human-readable line ("12:04:05 GET /api/x 200 12ms",
// "12:04:06 WARN message") instead of JSON; production and tests keep pino's JSON. Formats records already made
// safe by the logger's serializers and redaction. Must never add fields the record does not carry.
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One record (a JSON line from pino) as one short line. */
export function formatLogLine(json: string): string {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = new Date(typeof r.time === 'number' ? r.time : Date.now()).toTimeString().slice(0, 8);
  const level = LEVELS[r.level as number] ?? String(r.level);
  const req = r.req as { method?: string; url?: string } | undefined;
  const res = r.res as { statusCode?: number } | undefined;
  if (req?.method && res?.statusCode !== undefined) {
    const ms = typeof r.responseTime === 'number' ? ` ${Math.round(r.responseTime)}ms` : '';
    return `${time} ${req.method} ${req.url ?? ''} ${res.statusCode}${ms}`;
  }
  const err = r.err as { message?: string } | undefined;
  const module = typeof r.module === 'string' ? ` [${r.module}]` : '';
  return `${time} ${level}${module} ${String(r.msg ?? '')}${err?.message ? `: ${err.message}` : ''}`;
}

/** A pino destination writing formatted lines to stdout. */
export function lineDestination(out: NodeJS.WritableStream = process.stdout): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) out.write(`${formatLogLine(line)}\n`);
    },
  };
}
