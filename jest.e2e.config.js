module.exports = {
  ...require('./jest.shared.cjs'),
  rootDir: '.',
  roots: ['<rootDir>/test'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  testTimeout: 120000,
  // A handle leaked by one suite must never hang the whole run (and CI) after every test has finished.
  forceExit: true,
  setupFiles: ['<rootDir>/test/support/env.ts'],
};
