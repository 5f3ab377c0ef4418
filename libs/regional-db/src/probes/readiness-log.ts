import { Injectable, Logger } from '@nestjs/common';
import type { ReadinessReport } from './group-readiness';

/** The readiness as one line: ready or not, and every impaired group with its status (reasons left out: they flap). */
export function describeReadiness(report: ReadinessReport): string {
  const impaired = report.impaired.map((name) => `${name} ${report.groups[name].status}`);
  const head = report.status === 'ready' ? 'ready' : `unready (${report.reason})`;
  return impaired.length === 0 ? `${head}; every group writable` : `${head}; ${impaired.join(', ')}`;
}

/**
 * One log line per change of readiness, however often orchestrators and load balancers ask: a poller every
 * second must not turn an outage into a line per call.
 */
@Injectable()
export class ReadinessLog {
  private readonly logger = new Logger('Readiness');
  /** What an instance starts from: anything else is worth a line. */
  private last = 'ready; every group writable';

  observe(report: ReadinessReport): void {
    const now = describeReadiness(report);
    if (now === this.last) return;
    this.last = now;
    if (report.status === 'unready') this.logger.error(`readiness: ${now}`);
    else if (report.impaired.length > 0) this.logger.warn(`readiness: ${now}`);
    else this.logger.log(`readiness: ${now}`);
  }
}
