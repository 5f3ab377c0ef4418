import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DASHBOARD_APP } from './public/dashboard-app';
import { DASHBOARD_LOGIC } from './public/dashboard-logic';
import { DASHBOARD_PAGE } from './public/dashboard-page';
import { DASHBOARD_STYLES } from './public/dashboard-styles';

/** Everything the page loads comes from here; it talks to the status API only. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SCRIPT = `'use strict';\n(() => {\n${DASHBOARD_LOGIC}\n${DASHBOARD_APP}\n})();\n`;

/**
 * The operators' dashboard: static assets compiled into the app (no files to find at run time, from src or
 * dist alike). The page holds no data: it asks for a viewer or admin token and reads `/api/database/status`.
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return DASHBOARD_PAGE;
  }

  @Get('dashboard.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return SCRIPT;
  }

  @Get('dashboard.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return DASHBOARD_STYLES;
  }
}
