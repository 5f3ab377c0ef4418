module.exports = { ...require('./jest.shared.cjs'), rootDir: 'src', testRegex: '.*\\.spec\\.ts$' };
