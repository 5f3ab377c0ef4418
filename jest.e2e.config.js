module.exports = {
  ...require('./jest.shared.cjs'),
  rootDir: '.',
  roots: ['<rootDir>/test'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  testTimeout: 120000,
  setupFiles: ['<rootDir>/test/support/env.ts'],
};
