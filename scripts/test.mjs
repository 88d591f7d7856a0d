#!/usr/bin/env node
// Runs the whole test suite (or the paths given) with node's own test runner, TypeScript loaded by tsx.
// Finds every *.test.ts / *.test.tsx under test/ and each workspace package's packages/*/test/ (or under the given
// folders/files). Must never swallow a failure: the exit code is the runner's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      collect(join(path, name), out);
    }
  } else if (/\.test\.tsx?$/.test(path)) {
    out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const roots = args.filter((a) => !a.startsWith('--'));
/** test/ plus every workspace package's own test/ folder. */
function defaultRoots() {
  const packages = existsSync('packages') ? readdirSync('packages').sort() : [];
  const own = packages.map((p) => join('packages', p, 'test')).filter((d) => existsSync(d));
  return ['test', ...own];
}

const files = (roots.length ? roots : defaultRoots()).flatMap((r) => collect(resolve(r), []));
if (files.length === 0) {
  console.error('No test files found under', roots.length ? roots.join(', ') : 'test/, packages/*/test/');
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...flags, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(res.status ?? 1);
