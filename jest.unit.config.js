module.exports = { ...require('./jest.shared.cjs'), rootDir: '.', roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/tools'], testRegex: '.*\\.spec\\.ts$' };
