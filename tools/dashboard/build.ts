// The dashboard's front end, built for the browser: its TypeScript compiled by tsc with its own tsconfig
// (DOM, ES modules), the page and stylesheet copied beside it, into dist/dashboard, where the app serves them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_ASSETS_DIR } from '../../src/dashboard/dashboard-assets';

const SOURCE = 'src/dashboard/client';

export function buildDashboard(root = process.cwd()): void {
  const out = join(root, DASHBOARD_ASSETS_DIR);
  mkdirSync(out, { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, SOURCE, 'tsconfig.json')], { stdio: 'inherit' });
  for (const file of ['dashboard.html', 'dashboard.css']) copyFileSync(join(root, SOURCE, file), join(out, file));
}
