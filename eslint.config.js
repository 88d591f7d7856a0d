// ESLint flat config for the whole repo: JS/TS recommended rules everywhere, React hooks rules for the console.
// Must never enable type-aware rules (they need a full program build and slow every run down).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// ---- The house's walls, enforced here (test/unit/house-walls.test.ts proves each one bites) ----
// A zone lists the imports its files may NOT make. Flat config replaces a rule's options in each matching block,
// so every block carries the complete list for its files.
const wall = (group, message, extra = {}) => ({ group, message, ...extra });
const dirs = (...names) => names.flatMap((d) => [`**/${d}/*`, `**/${d}/**`]);
const DATA_ONLY = [
  wall(dirs('models', 'db'), 'Only server/src/data/ touches models and the database.'),
  wall(['mongodb', 'mongoose'], 'Only server/src/data/ uses the driver (type-only imports are fine).', {
    allowTypeImports: true,
  }),
];
const NO_HTTP = [
  wall(dirs('http'), 'Only http/ and app.ts use the HTTP layer; services raise domain errors (errors.ts).'),
];
const above = (zone, ...names) => wall(dirs(...names), `${zone} must not depend on ${names.join(', ')}.`);
const restrict = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});
const ROOTS = ['server/src/server.ts', 'server/src/index.ts', 'server/src/app.ts', 'server/src/**/*-cli.ts'];
const walls = [
  // Domain and edges: no models/driver, no HTTP (composition roots assemble everything).
  restrict(['server/src/**/*.ts'], [...DATA_ONLY, ...NO_HTTP], ['server/src/{data,models,db,http}/**', ...ROOTS]),
  restrict(['server/src/http/**/*.ts'], DATA_ONLY),
  // The data layer sits under the domain.
  restrict(
    ['server/src/{data,models}/**/*.ts'],
    [
      ...NO_HTTP,
      above('The data layer', 'inbox', 'policy', 'protection', 'attribution', 'users', 'realtime', 'auth', 'channels'),
    ],
  ),
  // Channels are adapters: they know providers, never the domain.
  restrict(
    ['server/src/channels/**/*.ts'],
    [
      ...DATA_ONLY,
      ...NO_HTTP,
      above('channels/', 'inbox', 'policy', 'protection', 'attribution', 'users', 'realtime', 'auth'),
    ],
  ),
  // Policies are what the inbox depends on; features built on the inbox live in protection/ and attribution/.
  restrict(
    ['server/src/policy/**/*.ts'],
    [...DATA_ONLY, ...NO_HTTP, above('policy/', 'inbox', 'protection', 'attribution', 'realtime', 'users')],
    ['server/src/**/*-cli.ts'],
  ),
  restrict(
    ['server/src/inbox/**/*.ts'],
    [...DATA_ONLY, ...NO_HTTP, above('inbox/', 'protection', 'attribution', 'realtime')],
  ),
  // shared/ is used by both sides and depends on neither.
  restrict(['shared/**/*.ts'], [above('shared/', 'server', 'client')]),
  restrict(['client/**/*.{ts,tsx}'], [above('The console', 'server')]),
  // The embedded engine is a package of its own: itself, bson, mingo and node built-ins only.
  {
    files: ['packages/embedded-mongo/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?![./]|node:|bson$|mingo(/|$))', message: 'The engine imports only itself, bson and mingo.' },
            wall(dirs('server', 'shared', 'client'), 'The engine imports only itself, bson and mingo.'),
          ],
        },
      ],
    },
  },
];

// ---- No send path around the outbound guard (AST rules; the order "guard, then queue" is a unit test) ----
const SENDS = {
  adapterSend: {
    selector:
      "CallExpression[callee.property.name='send'][callee.object.name=/[Aa]dapter/], CallExpression[callee.property.name='send'][callee.object.argument.callee.property.name='adapterFor']",
    message: 'Only the outbox worker (inbox/outbox.ts) calls a channel adapter’s send.',
  },
  queued: {
    selector: "Property[key.name='status'][value.value='queued']",
    message: 'Only inbox/sender.ts queues an outbound message (after the guard).',
  },
  pending: {
    selector:
      "Property[key.name='outbox'] > ObjectExpression > Property[key.name='state'][value.value='pending'], Property[key.value='outbox.state'][value.value='pending']",
    message: 'Only inbox/sender.ts (a new send) and the outbox’s retry in data/messages.ts queue an outbox entry.',
  },
};
const noBypass = (files, kinds, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-syntax': ['error', ...kinds.map((k) => SENDS[k])] },
});
const OUTBOX = 'server/src/inbox/outbox.ts';
const SENDER = 'server/src/inbox/sender.ts';
const MESSAGES = 'server/src/data/messages.ts';
const sendWalls = [
  noBypass(
    ['server/src/**/*.ts'],
    ['adapterSend', 'queued', 'pending'],
    [OUTBOX, SENDER, MESSAGES, 'server/src/channels/**'],
  ),
  noBypass(['server/src/channels/**/*.ts'], ['queued', 'pending']),
  noBypass([OUTBOX], ['queued', 'pending']),
  noBypass([SENDER], ['adapterSend']),
  noBypass([MESSAGES], ['adapterSend', 'queued']),
];

export default tseslint.config(
  { ignores: ['dist/', 'packages/*/dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx}'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests poke at loosely shaped JSON replies; `any` there is a convenience, not a hole.
    files: ['test/**/*.{ts,tsx}', 'packages/*/test/**/*.ts', 'packages/*/bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['client/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  ...walls,
  ...sendWalls,
);
