import { describe, expect, it } from '@jest/globals';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// Unit tests run from the repository root (npm run test:unit).
const ROOT = process.cwd();
const LIBRARY = join(ROOT, 'libs/regional-db');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ['generated', 'dist', 'node_modules', 'fixtures'].includes(name) ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports at run time (`import type` erased), with the file's path. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export) (?!type )[^;]*? from '([^']+)';/gms)].map((match) => match[1]);
}

const isSpec = (path: string) => /\.(spec|contract)\.ts$/.test(path);

describe('the library package', () => {
  it('imports nothing outside its own folder (it is packed and installed alone)', () => {
    const escaping = sources(join(LIBRARY, 'src')).flatMap((file) =>
      imports(file)
        .filter((spec) => spec.startsWith('.') && relative(join(LIBRARY, 'src'), resolve(dirname(file), spec)).startsWith('..'))
        .map((spec) => `${relative(ROOT, file)}: ${spec}`),
    );
    expect(escaping).toEqual([]);
  });

  it('declares every package its code loads, as a dependency or a peer', () => {
    const manifest = JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    const loaded = new Set(
      sources(join(LIBRARY, 'src'))
        .filter((file) => !isSpec(file))
        .flatMap(imports)
        .filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:') && !builtinModules.includes(spec))
        .map(packageOf),
    );
    expect(loaded.size).toBeGreaterThan(5);
    expect([...loaded].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('is what the application imports, through its one public entry only', () => {
    const appFiles = sources(join(ROOT, 'src'));
    const deep = appFiles.flatMap((file) =>
      imports(file)
        .filter((spec) => (spec.startsWith('.') && resolve(dirname(file), spec).startsWith(LIBRARY)) || spec.startsWith('@regional-db/nestjs/'))
        .map((spec) => `${relative(ROOT, file)}: ${spec}`),
    );
    expect(appFiles.some((file) => imports(file).includes('@regional-db/nestjs'))).toBe(true);
    expect(deep).toEqual([]);
  });
});
