import { Injectable } from '@nestjs/common';
import type { EndpointConfig } from '../config/topology.types';
import { InstanceIdentity } from '../database/instance-identity';
import { ServerAdmin } from './postgres-admin';

/** One `ServerAdmin` per endpoint, its connections named after this instance (`regional-db-router-failover/<id>`). */
@Injectable()
export class ServerAdmins {
  private readonly admins = new Map<string, ServerAdmin>();

  constructor(private readonly identity: InstanceIdentity) {}

  of(endpoint: EndpointConfig): ServerAdmin {
    let admin = this.admins.get(endpoint.id);
    if (!admin) this.admins.set(endpoint.id, (admin = new ServerAdmin(endpoint, this.identity.applicationName('failover'))));
    return admin;
  }
}
