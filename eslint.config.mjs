import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * The API's layers, bottom to top (README, "Layout"). A folder of apps/api/src may import
 * folders of lower layers only: not its own layer's other folders, not a higher layer.
 * Above them: the controllers (`*.controller.ts`, which may import any feature), then
 * the entry points (main.ts, bootstrap.ts, the root modules, entities.ts, database/cli.ts).
 * Tests may reach across layers.
 */
export const API_LAYERS = [
  ['config'],
  ['common'],
  ['database'],
  ['storage', 'queue', 'events', 'streaming'],
  ['engines'],
  ['users', 'references', 'hf-token', 'health'],
  ['auth'],
  ['tokens', 'idempotency', 'webhooks'],
  ['tracks'],
  ['shares', 'generations'],
  ['library', 'admin', 'web'],
  ['playlists'],
  // Scrape-time figures read every table; the lower layers reach the registry through METRICS_REGISTRY.
  ['metrics'],
];
const API_ENTRY_POINTS = ['apps/api/src/*.ts', 'apps/api/src/database/cli.ts'];

/** One block per folder: the imports that would point up (or sideways) in {@link API_LAYERS}. */
function apiLayerRules() {
  const entryPoint = { regex: '^(\\.\\./)+(main|bootstrap|entities|openapi-dump|(app|api|worker)\\.module)$', message: 'Only entry points import the root modules, bootstrap and the entity list.' };
  const controller = { regex: '\\.controller$', message: 'Controllers are the top layer: only the ApiModule imports them.' };
  const blocks = API_LAYERS.flatMap((layer, index) =>
    layer.map((folder) => {
      const above = API_LAYERS.slice(index).flat().filter((other) => other !== folder);
      return {
        files: [`apps/api/src/${folder}/**/*.ts`],
        // Tests may reach across layers to set things up.
        ignores: [...API_ENTRY_POINTS, '**/*.controller.ts', '**/*.spec.ts', '**/*.int-spec.ts'],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                ...(above.length ? [{ regex: `^(\\.\\./)+(${above.join('|')})/`, message: `${folder}/ is below ${above.join(', ')} (API_LAYERS in eslint.config.mjs): depend downwards, or inject an interface the upper layer provides.` }] : []),
                controller,
                entryPoint,
              ],
            },
          ],
        },
      };
    }),
  );
  return [...blocks, { files: ['apps/api/src/**/*.controller.ts'], ignores: ['**/*.spec.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [entryPoint] }] } }];
}

/** The API and the framework-free libraries are linted with type information (each file by its nearest tsconfig.json). */
const TYPE_CHECKED_FILES = ['apps/api/src/**/*.ts', 'apps/api/test/**/*.ts', 'libs/*/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/dist', '**/node_modules', '**/.angular', '**/.nx', '**/tmp', 'coverage', '.data', 'storage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TYPE_CHECKED_FILES })),
  {
    files: TYPE_CHECKED_FILES,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Implementations of Promise-returning ports (job queues, event buses, attempt counters, test stubs) stay `async` so that a throw reaches the caller as a rejection.
      '@typescript-eslint/require-await': 'off',
      // Passing on a caught or rejected value as it came (an abort signal's `reason` included) is forwarding, not inventing a non-Error reason.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
    },
  },
  {
    // Tests read untyped JSON (supertest's `res.body`, parsed logs): their expectations check its shape, and casting it first would assert what the test is there to verify.
    files: ['apps/api/test/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Specs hand methods to jest (`expect(obj.method)`, a prototype's original kept to `apply` from a spy).
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // The API may use shared libraries, never the web client.
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
            // The web client may use shared libraries, never the API.
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            // Shared code depends only on shared code.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tools'] },
          ],
        },
      ],
    },
  },
  {
    // Framework-free libraries: no NestJS, TypeORM, Bull or Angular.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'bull', '@angular/*', 'express', 'pg', 'ioredis'], message: 'libs/ are framework-free: no NestJS, TypeORM, Bull, Angular or server packages.' },
          ],
        },
      ],
    },
  },
  ...apiLayerRules(),
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', performance: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
