// Jest reads `testTimeout` only from the root config, not from a project's: the integration
// tier sets its default here (tests and hooks that wait on NATS, PostgreSQL and children).
jest.setTimeout(60_000);
