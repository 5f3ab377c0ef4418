import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Who this app instance is, among the instances sharing Redis: heartbeats and failover votes carry it, and
 * every connection names it in `application_name` (`regional-db-router/<id>`), so a server (and a DBA reading
 * pg_stat_activity) sees which instance a session belongs to. `INSTANCE_ID`, else host, process and a nonce.
 */
@Injectable()
export class InstanceIdentity {
  readonly id: string;

  constructor() {
    const configured = process.env.INSTANCE_ID?.trim();
    if (configured !== undefined && configured !== '' && !/^[A-Za-z0-9_.-]{1,40}$/.test(configured)) {
      throw new Error(`INSTANCE_ID must be 1-40 letters, digits, ".", "_" or "-", got ${JSON.stringify(configured)}`);
    }
    this.id = configured || `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  }

  /** `application_name` for one kind of connection of this instance (PostgreSQL keeps 63 bytes of it). */
  applicationName(purpose: 'router' | 'health' | 'failover'): string {
    const prefix = purpose === 'router' ? 'regional-db-router' : `regional-db-router-${purpose}`;
    return `${prefix}/${this.id}`.slice(0, 63);
  }
}
