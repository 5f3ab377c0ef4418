import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where tools/dashboard/build.ts puts the built front end, relative to the project root (the service's working directory). */
export const DASHBOARD_ASSETS_DIR = 'dist/dashboard';

export interface DashboardAsset {
  body: string;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page, its stylesheet and its modules, read once; null when the front end was not built. */
export function loadDashboardAssets(root: string, files: readonly string[]): Map<string, DashboardAsset> | null {
  const dir = join(root, DASHBOARD_ASSETS_DIR);
  if (!files.every((file) => existsSync(join(dir, file)))) return null;
  return new Map(files.map((file) => [file, { body: readFileSync(join(dir, file), 'utf8'), contentType: TYPES[file.slice(file.lastIndexOf('.'))] }]));
}
