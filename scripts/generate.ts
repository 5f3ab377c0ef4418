// Generates both Prisma clients offline. `prisma generate` only needs the schema engine path to exist;
// it never runs it, so any file will do when the real binary cannot be downloaded.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
for (const schema of ['prisma/regional/schema.prisma', 'prisma/global/schema.prisma']) {
  execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--schema', schema], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  console.log(`generated ${schema}`);
}
