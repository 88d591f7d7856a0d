// The house's walls are lint rules: a forbidden import in each zone — and a send path around the outbound guard —
// is reported by ESLint with the repo's own config (and the allowed counterpart is not), so the walls cannot
// silently stop biting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code + '\nexport {};\n', { filePath: join(ROOT, filePath) });
  const walls = ['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax'];
  return r.messages.filter((m) => walls.includes(m.ruleId ?? '')).map((m) => m.message);
}

const cases: Array<{ wall: string; file: string; forbidden: string; allowed: string }> = [
  {
    wall: 'only the data layer imports models',
    file: 'server/src/inbox/example.ts',
    forbidden: "import { MessageModel } from '../models/message.js';",
    allowed: "import { newId } from '../data/ids.js';",
  },
  {
    wall: 'only the data layer imports the driver (type imports allowed)',
    file: 'server/src/attribution/example.ts',
    forbidden: "import { Types } from 'mongoose';",
    allowed: "import type { Types } from 'mongoose';",
  },
  {
    wall: 'the data layer is the one that may import models',
    file: 'server/src/data/example.ts',
    forbidden: "import { recordAudit } from '../policy/audit.js';",
    allowed: "import { MessageModel } from '../models/message.js';",
  },
  {
    wall: 'nothing outside http/ imports http/',
    file: 'server/src/protection/example.ts',
    forbidden: "import { HttpError } from '../http/errors.js';",
    allowed: "import { notFound } from '../errors.js';",
  },
  {
    wall: 'channels import no domain',
    file: 'server/src/channels/whatsapp-web/example.ts',
    forbidden: "import { toMessageView } from '../../inbox/views.js';",
    allowed: "import type { ChannelAdapter } from '../adapter.js';",
  },
  {
    wall: 'policies do not depend on the inbox or the features built on it',
    file: 'server/src/policy/example.ts',
    forbidden: "import { ReviewService } from '../protection/review.js';",
    allowed: "import { maskPhone } from './masking.js';",
  },
  {
    wall: 'the inbox does not depend on protection/attribution features',
    file: 'server/src/inbox/example.ts',
    forbidden: "import { AttributionService } from '../attribution/index.js';",
    allowed: "import { runGuard } from '../policy/guard/index.js';",
  },
  {
    wall: 'shared/ depends on neither side',
    file: 'shared/src/example.ts',
    forbidden: "import type { Config } from '../../server/src/config.js';",
    allowed: "import { z } from 'zod';",
  },
  {
    wall: 'the console never imports server code',
    file: 'client/src/example.ts',
    forbidden: "import { maskPhone } from '../../server/src/policy/masking.js';",
    allowed: "import type { Message } from '../../shared/src/index.js';",
  },
  {
    wall: 'the embedded engine imports only itself, bson and mingo',
    file: 'packages/embedded-mongo/src/example.ts',
    forbidden: "import { logger } from '../../../server/src/logger.js';",
    allowed: "import { ObjectId } from 'bson';",
  },
  {
    wall: 'only the outbox worker calls a channel adapter send',
    file: 'server/src/protection/example.ts',
    forbidden: 'declare const adapter: { send(x: unknown): void };\nadapter.send({});',
    allowed: 'declare const adapter: { kind: string };\nconsole.log(adapter.kind);',
  },
  {
    wall: 'nothing fetches an adapter to send with it but the outbox',
    file: 'server/src/inbox/example.ts',
    forbidden:
      'declare const deps: { adapterFor(id: string): Promise<{ send(x: unknown): void }> };\nawait (await deps.adapterFor("c")).send({});',
    allowed: 'declare const deps: { adapterFor(id: string): Promise<unknown> };\nawait deps.adapterFor("c");',
  },
  {
    wall: 'only the sender queues an outbound message',
    file: 'server/src/protection/example.ts',
    forbidden: "const record = { status: 'queued' };\nconsole.log(record);",
    allowed: "const record = { status: 'held' };\nconsole.log(record);",
  },
  {
    wall: 'only the sender (and the outbox retry in the message store) queues an outbox entry',
    file: 'server/src/data/example.ts',
    forbidden: "const update = { outbox: { state: 'pending' } };\nconsole.log(update);",
    allowed: 'const update = { outbox: null };\nconsole.log(update);',
  },
];

for (const c of cases) {
  test(`lint wall: ${c.wall}`, async () => {
    const bad = await restricted(c.file, c.forbidden);
    assert.equal(bad.length, 1, `expected the wall to report ${c.forbidden} in ${c.file}`);
    assert.deepEqual(await restricted(c.file, c.allowed), [], `${c.allowed} is allowed in ${c.file}`);
  });
}
