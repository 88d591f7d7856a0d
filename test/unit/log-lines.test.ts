// Development log lines: a request record becomes "hh:mm:ss METHOD path status Nms", other records "LEVEL msg";
// the path carries only what the serializers left (query keys, no values); a line that is not JSON passes through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLine } from '../../server/src/log-lines.js';

test('a request record is one short line', () => {
  const line = formatLogLine(
    JSON.stringify({
      level: 30,
      time: Date.parse('2026-01-01T10:00:00'),
      req: { id: 'r1', method: 'GET', url: '/api/conversations?q' },
      res: { statusCode: 200 },
      responseTime: 12.4,
      msg: 'request completed',
    }),
  );
  assert.equal(line, '10:00:00 GET /api/conversations?q 200 12ms');
});

test('other records show level, module and message', () => {
  const line = formatLogLine(
    JSON.stringify({
      level: 40,
      time: Date.parse('2026-01-01T10:00:01'),
      module: 'outbox',
      msg: 'retrying',
      err: { message: 'boom' },
    }),
  );
  assert.equal(line, '10:00:01 WARN [outbox] retrying: boom');
  assert.equal(formatLogLine('not json\n'), 'not json');
});
