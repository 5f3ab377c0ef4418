// The running service as the chaos CLI sees it: its HTTP API only, with an admin token for the admin routes
// and, per region, an end user of its own for writes (POST /api/posts).
import { randomBytes } from 'node:crypto';
import type { FailoverRecord, ReadinessReport, SystemStatusService } from '@regional-db/nestjs';

export type SystemStatus = Awaited<ReturnType<SystemStatusService['status']>>;
export type StatusGroup = SystemStatus['groups'][number];
export type StatusEndpoint = StatusGroup['endpoints'][number];

export interface Reply<T = unknown> {
  /** 0: no HTTP answer (connection refused, timeout). */
  status: number;
  body: T;
  ms: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
const NUDGE_EVERY_MS = 5_000;

export class ServiceClient {
  private readonly writers = new Map<string, string>();
  private lastNudge = 0;

  constructor(
    readonly url: string,
    private readonly adminToken: string,
    private readonly log: (line: string) => void,
  ) {}

  live(): Promise<Reply> {
    return this.call('GET', '/health/live');
  }

  ready(): Promise<Reply<Partial<ReadinessReport>>> {
    return this.call('GET', '/health/ready');
  }

  async status(): Promise<SystemStatus> {
    const reply = await this.call<SystemStatus & { message?: string }>('GET', '/api/database/status', { token: this.adminToken });
    if (reply.status !== 200) throw new Error(`GET /api/database/status answered ${describeReply(reply)}`);
    return reply.body;
  }

  healthCheck(): Promise<Reply<{ durationMs: number; probes: { endpointId: string; reachable: boolean; error: string | null }[]; message?: string }>> {
    return this.call('POST', '/api/database/health-check', { token: this.adminToken });
  }

  /**
   * Asks for a health round now, at most once every 5 s (admin mutations are rate limited per caller): the
   * service re-probes a replica only on its group's interval, so a recovery would otherwise wait for it.
   */
  async nudgeHealthRound(): Promise<void> {
    if (Date.now() - this.lastNudge < NUDGE_EVERY_MS) return;
    this.lastNudge = Date.now();
    await this.healthCheck();
  }

  failover(group: string, body: { targetEndpoint?: string } = {}): Promise<Reply<{ success: boolean; message: string; failover: FailoverRecord }>> {
    return this.call('POST', `/api/database/failover/${encodeURIComponent(group)}`, { token: this.adminToken, body });
  }

  async lastFailover(): Promise<FailoverRecord | null> {
    const reply = await this.call<{ failovers: FailoverRecord[] }>('GET', '/api/database/failover-history?limit=1', { token: this.adminToken });
    return reply.status === 200 ? (reply.body.failovers[0] ?? null) : null;
  }

  routedByEndpoint(): Promise<Reply<{ routing: { queriesRouted: { byEndpoint: Record<string, number> } } }>> {
    return this.call('GET', '/api/database/connections', { token: this.adminToken });
  }

  /** A routed read in `region`: the region's latest posts. */
  read(region: string): Promise<Reply> {
    return this.call('GET', '/api/feed?limit=1', { headers: { 'X-Region': region } });
  }

  /** A routed write in `region`: a post by this CLI's user of that region (see `prepareWriter`). */
  write(region: string): Promise<Reply> {
    const token = this.writers.get(region);
    if (!token) throw new Error(`no writer prepared for ${region}`);
    return this.call('POST', '/api/posts', { token, body: { content: `chaos probe ${new Date().toISOString()}` } });
  }

  /** Registers and logs in a user whose home region is `region` (needs that region writable: do it first). */
  async prepareWriter(region: string): Promise<void> {
    if (this.writers.has(region)) return;
    const handle = `chaos_${randomBytes(6).toString('hex')}`;
    const password = `Chaos-${randomBytes(9).toString('base64url')}-7`;
    const registered = await this.call('POST', '/api/users', { body: { handle, email: `${handle}@chaos.invalid`, password, region } });
    if (registered.status !== 201) throw new Error(`registering a ${region} user for writes: POST /api/users answered ${describeReply(registered)}`);
    const login = await this.call<{ accessToken?: string }>('POST', '/api/auth/login', { body: { handle, password } });
    if (login.status !== 200 || !login.body.accessToken) throw new Error(`logging in the ${region} user: POST /api/auth/login answered ${describeReply(login)}`);
    this.writers.set(region, login.body.accessToken);
  }

  private async call<T>(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    const started = performance.now();
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let reply: Reply<T>;
    try {
      const response = await fetch(this.url + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      reply = { status: response.status, body: body as T, ms: performance.now() - started };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      reply = { status: 0, body: { message: cause ?? (error as Error).message } as T, ms: performance.now() - started };
    }
    this.log(`${method} ${path} -> ${reply.status || 'no answer'} (${reply.ms.toFixed(0)} ms)`);
    return reply;
  }
}

/** `503 Service Unavailable: <message>`, for findings and errors. */
export function describeReply(reply: Reply): string {
  const message = (reply.body as { message?: unknown } | null)?.message;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
  return `${reply.status || 'no answer'}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

export function groupOf(status: SystemStatus, name: string): StatusGroup {
  const group = status.groups.find((g) => g.name === name);
  if (!group) throw new Error(`the service has no replication group "${name}" (known: ${status.groups.map((g) => g.name).join(', ')})`);
  return group;
}

export function endpointOf(status: SystemStatus, id: string): StatusEndpoint & { group: string } {
  for (const group of status.groups) {
    const endpoint = group.endpoints.find((e) => e.id === id);
    if (endpoint) return { ...endpoint, group: group.name };
  }
  throw new Error(`the service has no endpoint "${id}"`);
}
