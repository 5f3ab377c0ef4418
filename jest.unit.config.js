module.exports = { ...require('./jest.shared.cjs'), rootDir: '.', roots: ['<rootDir>/src', '<rootDir>/libs'], testRegex: '.*\\.spec\\.ts$' };
