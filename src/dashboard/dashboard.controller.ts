import { Controller, Get, Logger, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DASHBOARD_ASSETS_DIR, loadDashboardAssets } from './dashboard-assets';

/** Everything the page loads comes from here; it talks to the admin API only. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const PAGE = 'dashboard.html';
/** The page's stylesheet and ES modules (src/dashboard/client, built by tools/dashboard/build.ts). */
const FILES = [PAGE, 'dashboard.css', 'dashboard.js', 'dashboard-logic.js'];

/**
 * The operators' dashboard: the built front end, read once at start from dist/dashboard. The page holds no
 * data: it asks for a viewer or admin token and reads the admin API.
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly assets = loadDashboardAssets(process.cwd(), FILES);

  constructor() {
    if (!this.assets) new Logger(DashboardController.name).warn(`dashboard not built (${DASHBOARD_ASSETS_DIR} is missing files): npm run build`);
  }

  @Get()
  page(@Res() response: Response): void {
    this.send(response.set({ 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer' }), PAGE);
  }

  @Get(':file')
  file(@Param('file') file: string, @Res() response: Response): void {
    if (file === PAGE || !FILES.includes(file)) throw new NotFoundException(`No dashboard file ${file}`);
    this.send(response, file);
  }

  private send(response: Response, file: string): void {
    const asset = this.assets?.get(file);
    if (!asset) throw new ServiceUnavailableException(`The dashboard is not built: run npm run build (it writes ${DASHBOARD_ASSETS_DIR})`);
    response.set({ 'Content-Type': asset.contentType, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }).send(asset.body);
  }
}
