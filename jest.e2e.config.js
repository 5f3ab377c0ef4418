module.exports = {
  ...require('./jest.shared.cjs'),
  rootDir: '.',
  roots: ['<rootDir>/test'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  testTimeout: 120000,
  // A handle leaked by one suite must never hang the whole run (and CI) after every test has finished.
  forceExit: true,
  setupFiles: ['<rootDir>/test/support/env.ts'],
  // Every suite starts from the shared topology whole, whatever the suite before it left.
  setupFilesAfterEnv: ['<rootDir>/test/support/shared-topology-guard.ts'],
  // The dashboard built and a Redis key prefix per run before; no key of the run left in Redis after.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
