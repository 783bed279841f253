// Three tiers, told apart by the file suffix: *.spec.ts (unit), *.int.spec.ts (real NATS and
// PostgreSQL), *.e2e.spec.ts (the whole stack as child processes).
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

// When DATABASE_URL / NATS_URL are unset and nothing answers on 127.0.0.1:5432 / 4222, the int and
// e2e tiers start an embedded PostgreSQL and nats-server first (tools/jest/test-servers.ts). Jest
// runs one global setup per distinct file, so both tiers share one set of servers.
const servers = {
  globalSetup: '<rootDir>/tools/jest/global-setup.ts',
  globalTeardown: '<rootDir>/tools/jest/global-teardown.ts',
};

const shared = {
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@ccpulse/domain$': '<rootDir>/libs/domain/src/index.ts',
    '^@ccpulse/db$': '<rootDir>/libs/db/src/index.ts',
    '^@ccpulse/runtime$': '<rootDir>/libs/runtime/src/index.ts',
    '^@ccpulse/report$': '<rootDir>/libs/report/src/index.ts',
  },
  testEnvironment: '<rootDir>/tools/jest/node-environment.js',
  rootDir: __dirname,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  // Integration and e2e suites mostly wait on PostgreSQL, NATS and child processes: two
  // workers keep both cores busy without starving the timing-sensitive browser test.
  maxWorkers: Number(process.env.JEST_MAX_WORKERS ?? 2),
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,bench,tools,tests}/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '/node_modules/'],
    },
    {
      ...shared,
      ...servers,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,tools,tests}/**/*.int.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/int-timeout.ts'],
    },
    {
      ...shared,
      ...servers,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.e2e.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/e2e-timeout.ts'],
    },
  ],
};
