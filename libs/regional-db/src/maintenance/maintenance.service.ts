import { EventEmitter } from 'node:events';
import { ConflictException, Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectTopology } from '../config/topology.module';
import { allGroups } from '../config/topology.types';
import type { Topology } from '../config/topology.types';
import { RedisService } from '../redis/redis.service';
import { ALL_GROUPS, FailoverPause, pauseOf, resumePlan } from './maintenance';

/**
 * Maintenance mode: automatic failover paused per group or for all, at run time. Pauses live in Redis (one
 * hash) so that every instance obeys the same ones; without Redis, in this process. Manual failovers and
 * switchovers still run, as in Patroni's pause.
 */
@Injectable()
export class MaintenanceService {
  private readonly logger = new Logger(MaintenanceService.name);
  /** `changed` after this instance paused or resumed (the status stream pushes it; a peer's change shows at its refresh). */
  readonly events = new EventEmitter<{ changed: [] }>();
  private readonly local = new Map<string, FailoverPause>();
  /** The last pauses read from Redis: what this instance obeys while Redis does not answer. */
  private lastRead: FailoverPause[] = [];

  constructor(
    @InjectTopology() private readonly topology: Topology,
    private readonly redis: RedisService,
  ) {}

  /** Every pause in force, a pause of every group first. */
  async pauses(): Promise<FailoverPause[]> {
    const client = this.redis.client;
    if (!client) return sorted([...this.local.values()]);
    try {
      this.lastRead = sorted(Object.values(await client.hgetall(this.key())).map((json) => JSON.parse(json) as FailoverPause));
    } catch {
      // Unreachable: the last known pauses (automatic failover is withheld without Redis anyway).
    }
    return this.lastRead;
  }

  /** The pause that holds `group`'s automatic failover, or null. */
  async pauseOf(group: string): Promise<FailoverPause | null> {
    return pauseOf(await this.pauses(), group);
  }

  /** Per group: the pause that holds it, or null (status, metrics). */
  async byGroup(): Promise<Map<string, FailoverPause | null>> {
    const pauses = await this.pauses();
    return new Map(allGroups(this.topology).map((g) => [g.name, pauseOf(pauses, g.name)]));
  }

  async pause(group: string | undefined, by: string, reason: string | undefined) {
    const scope = this.scope(group);
    const pause: FailoverPause = { scope, by, at: new Date().toISOString(), reason: reason ?? null };
    await this.write((client) => client.hset(this.key(), scope, JSON.stringify(pause)), () => this.local.set(scope, pause));
    this.logger.warn({ msg: `maintenance: automatic failover paused for ${describe(scope)} by ${by}${reason ? ` (${reason})` : ''}`, group: scope, actor: by });
    this.events.emit('changed');
    return { paused: pause, pauses: await this.pauses() };
  }

  async resume(group: string | undefined, by: string) {
    const scope = this.scope(group);
    const plan = resumePlan(await this.pauses(), scope);
    if (plan.blockedBy) {
      throw new ConflictException(`every group is paused (by ${plan.blockedBy.by}); resume all groups, or resume all and pause the others again`);
    }
    if (plan.remove.length) {
      await this.write((client) => client.hdel(this.key(), ...plan.remove), () => plan.remove.forEach((s) => this.local.delete(s)));
      this.logger.warn({ msg: `maintenance: automatic failover resumed for ${describe(scope)} by ${by}`, group: scope, actor: by });
      this.events.emit('changed');
    }
    return { resumed: plan.remove, pauses: await this.pauses() };
  }

  private scope(group: string | undefined): string {
    if (group === undefined || group === ALL_GROUPS) return ALL_GROUPS;
    const known = allGroups(this.topology).map((g) => g.name);
    if (!known.includes(group)) throw new NotFoundException(`Unknown group "${group}" (known: ${known.join(', ')})`);
    return group;
  }

  private async write(shared: (client: NonNullable<RedisService['client']>) => Promise<unknown>, local: () => void): Promise<void> {
    const client = this.redis.client;
    if (!client) return void local();
    try {
      await shared(client);
    } catch {
      // A pause only this instance knew of would not hold the others: refused instead.
      throw new ServiceUnavailableException('Maintenance mode is shared through Redis, which does not answer now; try again when coordination is available');
    }
  }

  private key(): string {
    return this.redis.key('maintenance');
  }
}

function sorted(pauses: FailoverPause[]): FailoverPause[] {
  return pauses.sort((a, b) => (a.scope === ALL_GROUPS ? -1 : b.scope === ALL_GROUPS ? 1 : a.scope.localeCompare(b.scope)));
}

function describe(scope: string): string {
  return scope === ALL_GROUPS ? 'every group' : scope;
}
