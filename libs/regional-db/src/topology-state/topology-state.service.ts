import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { InjectTopology } from '../config/topology.module';
import { allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';

export interface GroupState {
  group: string;
  /** Endpoint currently taking writes; null while none does (failover in progress or failed). */
  primaryId: string | null;
  /** Bumped at every change of primary; a server that was primary in an earlier epoch is fenced. */
  epoch: number;
  /** Former primaries that must never be routed to again in this epoch. */
  fenced: string[];
  changedAt: string;
}

export interface PrimaryChange {
  group: string;
  from: string | null;
  to: string | null;
  epoch: number;
}

/**
 * The live shape of the topology: which endpoint is each group's primary, and its epoch. Starts from the
 * configuration; failover and discovery change it, and every change is announced on `events`.
 */
@Injectable()
export class TopologyStateService {
  private readonly groups = new Map<string, GroupState>();
  readonly events = new EventEmitter();

  constructor(@InjectTopology() topology: Topology) {
    const now = new Date().toISOString();
    for (const group of allGroups(topology)) {
      this.groups.set(group.name, { group: group.name, primaryId: group.primary.id, epoch: 1, fenced: [], changedAt: now });
    }
  }

  primaryOf(group: string): string | null {
    return this.state(group).primaryId;
  }

  state(group: string): GroupState {
    const state = this.groups.get(group);
    if (!state) throw new Error(`unknown replication group "${group}"`);
    return state;
  }

  all(): GroupState[] {
    return [...this.groups.values()].map((s) => ({ ...s, fenced: [...s.fenced] }));
  }

  isFenced(group: string, endpointId: string): boolean {
    return this.state(group).fenced.includes(endpointId);
  }

  /**
   * Applies a new primary at `epoch` (default: the next one). An older or equal epoch is ignored, so a late
   * message from another instance cannot undo a newer decision. Returns whether it changed anything.
   */
  setPrimary(group: string, primaryId: string | null, epoch = this.state(group).epoch + 1, fenced?: string[]): boolean {
    const current = this.state(group);
    if (epoch <= current.epoch) return false;
    const from = current.primaryId;
    const nextFenced = fenced ?? (from && from !== primaryId ? [...new Set([...current.fenced, from])] : current.fenced);
    this.groups.set(group, {
      group,
      primaryId,
      epoch,
      fenced: nextFenced.filter((id) => id !== primaryId),
      changedAt: new Date().toISOString(),
    });
    this.events.emit('primary-changed', { group, from, to: primaryId, epoch } satisfies PrimaryChange);
    return true;
  }
}
