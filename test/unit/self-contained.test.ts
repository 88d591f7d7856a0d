// The repository documents itself: no tracked file (node_modules, dist and package-lock.json aside) cites a
// document outside it — no relative path that climbs out of the repository to a sibling shared folder, no spec
// document by name (the API, PROVIDERS, PRODUCT or ARCHITECTURE markdown files) unless the path is a tracked file of
// this repository (docs/…), no planning-brief section markers and no issue-number markers. Must never change a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Tracked files as repository-relative paths with `/`, or null when this is not a git checkout. */
function trackedFiles(): string[] | null {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return out.split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

const skipped = (path: string) =>
  path.startsWith('node_modules/') || path.startsWith('dist/') || path.split('/').pop() === 'package-lock.json';

const SPEC_DOC = /((?:[\w.-]+\/)*)\b(API|PROVIDERS|PRODUCT|ARCHITECTURE)\.md\b/g;
const CLIMB_TO_SHARED = /((?:\.\.\/)+)shared\//g;
const MARKERS: Array<[RegExp, string]> = [
  [/shared\/spec\b/i, 'points at the outside spec folder'],
  [/\bbrief\s*§/i, 'cites a planning-brief section'],
  [/\bissues?\s+#?\d+[a-z]?\b/i, 'cites an issue number'],
];

/** Every outside reference in one file's text: "path:line: why — the line". */
export function outsideReferences(path: string, text: string, tracked: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const dir = dirname(path);
  /** A repository path (`/`-separated) for `target` as written in `path`, or null when it leaves the repository. */
  const inRepo = (base: string, target: string): string | null => {
    const rel = normalize(join(base, target)).split(sep).join('/');
    return rel === '..' || rel.startsWith('../') ? null : rel;
  };
  text.split('\n').forEach((line, i) => {
    const report = (why: string) => found.push(`${path}:${i + 1}: ${why} — ${line.trim().slice(0, 160)}`);
    for (const m of line.matchAll(SPEC_DOC)) {
      const cited = `${m[1]}${m[2]}.md`;
      const asWritten = [inRepo(dir, cited), inRepo('.', cited)];
      if (!asWritten.some((p) => p !== null && tracked.has(p)))
        report(`cites ${cited}, which is not in the repository`);
    }
    for (const m of line.matchAll(CLIMB_TO_SHARED)) {
      if (inRepo(dir, m[1]) === null) report(`${m[0]} climbs out of the repository`);
    }
    for (const [re, why] of MARKERS) if (re.test(line)) report(why);
  });
  return found;
}

test('no tracked file cites a document outside the repository', (t) => {
  const files = trackedFiles();
  if (!files) return t.skip('not a git checkout');
  const tracked = new Set(files);
  const problems: string[] = [];
  for (const path of files) {
    if (skipped(path)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(ROOT, path));
    } catch {
      continue; // deleted in the working tree
    }
    if (bytes.includes(0)) continue; // binary
    problems.push(...outsideReferences(path, bytes.toString('utf8'), tracked));
  }
  assert.deepEqual(problems, [], `outside references:\n${problems.join('\n')}`);
  assert.ok(tracked.has('docs/API.md') && tracked.has('docs/channels.md'), 'the contract documents are tracked');
});

test('the check catches each kind of outside reference, and lets in-repo docs and imports through', () => {
  const tracked = new Set(['docs/API.md', 'docs/channels.md', 'shared/src/index.ts', 'server/src/app.ts']);
  const spec = 'API' + '.md';
  const climb = '../' + 'shared/';
  const flagged = (path: string, text: string) => outsideReferences(path, text, tracked).length;
  // Outside references (assembled here so this file does not contain them itself).
  assert.equal(flagged('server/src/x.ts', `// the error body (${spec})`), 1);
  assert.equal(flagged('README.md', `Additions beyond \`${climb}spec/${spec}\``), 3);
  assert.equal(flagged('server/src/x.ts', `// see ${'PROVIDERS'}.md "Policy"`), 1);
  assert.equal(flagged('shared/src/roles.ts', `// Roles (${'brief'} §8)`), 1);
  assert.equal(flagged('server/src/app.ts', `// customer protection (${'issue'} 7b)`), 1);
  assert.equal(flagged('test/x.test.ts', `// created by attribution (${'Issue'} 6)`), 1);
  assert.equal(flagged('server/src/x.ts', `import type { X } from '../../${climb}src/index.js';`), 1);
  // In-repo references pass.
  assert.equal(flagged('server/src/http/errors.ts', `// the error body (docs/${spec} "Errors")`), 0);
  assert.equal(flagged('docs/channels.md', `The HTTP contract is in [${spec}](${spec}).`), 0);
  assert.equal(flagged('server/src/http/x.ts', `import { y } from '../../${climb}src/index.js';`), 0);
  assert.equal(flagged('client/src/a/b.ts', `import { y } from '../../${climb}src/index.js';`), 0);
  assert.equal(flagged('client/src/x.ts', 'errors[field] = issue.message;'), 0);
});
