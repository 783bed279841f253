import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Node modules that do I/O or read the clock's environment: the pure domain may import none. */
const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http',
  'https', 'node:https', 'child_process', 'node:child_process', 'os', 'node:os', 'path', 'node:path',
  'pg', 'kysely', '@nats-io/*', '@nestjs/*', 'prom-client', 'pino', 'graphql*', 'ws',
];

export default [
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/corpus/**', 'apps/api/web/dist/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          // Test-support modules (generators, throwaway databases) are shared by test code, and
          // the end-to-end suites (tests/e2e, two levels below the root) may start an app in process.
          // The shared stack harness (tests/support) serves e2e, full-chain, fault and bench tests alike.
          allow: ['/test-support/', '^\\.\\./\\.\\./apps/', '^(\\.\\./)+(tests/)?support/(until|free-port|stack|scratch-database)$'],
          depConstraints: [
            { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: [], bannedExternalImports: ioModules },
            { sourceTag: 'scope:db', onlyDependOnLibsWithTags: ['scope:domain'] },
            { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:domain'] },
            { sourceTag: 'scope:report', onlyDependOnLibsWithTags: ['scope:domain'] },
            { sourceTag: 'scope:ingestor', onlyDependOnLibsWithTags: ['scope:domain', 'scope:runtime', 'scope:report'] },
            { sourceTag: 'scope:aggregator', onlyDependOnLibsWithTags: ['scope:domain', 'scope:db', 'scope:runtime'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:domain', 'scope:db', 'scope:runtime'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no Node built-ins either (tests may read fixtures from disk).
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', ...ioModules], message: 'libs/domain does no I/O: pass data and `now` in.' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'libs/domain reads no environment.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'libs/domain reads no clock: take `nowMs` as a parameter.' }],
    },
  },
];
