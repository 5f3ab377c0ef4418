// Nest 12 is ESM-only and Prisma 7 loads its query compiler with import(): jest runs in native-ESM mode.
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  // The library from its source, as tsconfig's `paths` has it (its package's `main` is the built copy).
  moduleNameMapper: { '^@regional-db/nestjs$': '<rootDir>/libs/regional-db/src/index.ts' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: {
          module: 'ESNext',
          moduleResolution: 'bundler',
          isolatedModules: true,
          emitDecoratorMetadata: true,
          experimentalDecorators: true,
          esModuleInterop: true,
          target: 'ES2023',
        },
      },
    ],
  },
};
