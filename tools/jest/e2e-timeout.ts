// Jest reads `testTimeout` only from the root config, not from a project's: the e2e tier sets
// its default here (whole stacks of child processes).
jest.setTimeout(180_000);
