import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who this app instance is, among the instances sharing Redis: heartbeats and failover votes carry it, and
 * every connection names it in `application_name` (`regional-db-router/<id>`), so a server (and a DBA reading
 * pg_stat_activity) sees which instance a session belongs to. `INSTANCE_ID`, else host, process and a nonce.
 */
export class InstanceIdentity {
  readonly id: string;

  /** `configured`: `INSTANCE_ID`, already checked by the settings schema. */
  constructor(configured?: string) {
    this.id = configured || `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  }

  /** `application_name` for one kind of connection of this instance (PostgreSQL keeps 63 bytes of it). */
  applicationName(purpose: 'router' | 'health' | 'failover'): string {
    const prefix = purpose === 'router' ? 'regional-db-router' : `regional-db-router-${purpose}`;
    return `${prefix}/${this.id}`.slice(0, 63);
  }
}
