// The local topology's fault proxy, as the CLI runs it (its own process, `up --proxy`, partition/delay/heal),
// on a small topology of this suite's own: real servers, real sockets, clients told apart by application_name.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { loadTopologyFile } from '../libs/regional-db/src/config/topology.loader';
import { allEndpoints } from '../libs/regional-db/src/config/topology.types';
import * as local from '../tools/topology/local-topology';
import { eventually } from './support/app';
import { failoverTopologyOptions } from './support/failover-topology';

const options: local.LocalTopologyOptions = { ...failoverTopologyOptions([], { name: 'fault-proxy-topology', portOffset: 300 }), proxy: 'pass' };
const SERVER = 'us-east-primary';
const QUERY_TIMEOUT_MS = 1_500;

/** A client named `fault-proxy-test/<instanceId>` that records its errors instead of crashing the runner. */
class TestClient {
  readonly errors: Error[] = [];
  readonly pg: Client;

  constructor(url: string, readonly instanceId: string) {
    this.pg = new Client({ connectionString: url, application_name: `fault-proxy-test/${instanceId}`, query_timeout: QUERY_TIMEOUT_MS, connectionTimeoutMillis: QUERY_TIMEOUT_MS });
    this.pg.on('error', (error) => this.errors.push(error));
  }

  async connect(): Promise<this> {
    await this.pg.connect();
    return this;
  }

  /** Milliseconds of one round trip of a trivial query. */
  async roundTrip(): Promise<number> {
    const started = performance.now();
    await this.pg.query('SELECT 1');
    return performance.now() - started;
  }

  /** A silent path never answers a Terminate: do not wait for the goodbye. */
  async close(): Promise<void> {
    await Promise.race([this.pg.end().catch(() => undefined), new Promise((r) => setTimeout(r, 300))]);
    (this.pg as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}

describe('fault proxy (own topology, proxy process started by up --proxy)', () => {
  let url: string;
  const clients: TestClient[] = [];
  const client = async (instanceId: string) => {
    const c = new TestClient(url, instanceId);
    clients.push(c);
    return c.connect();
  };

  beforeAll(async () => {
    await local.down(options);
    await local.up(options);
    const endpoint = allEndpoints(loadTopologyFile(local.topologyFilePath(options))).find((e) => e.id === SERVER)!;
    url = endpoint.url;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await local.down(options);
  }, 60_000);

  it('writes a topology file that points the app at the proxy, and passes queries through it', async () => {
    const servers = await local.status(options);
    const primary = servers.find((s) => s.id === SERVER)!;
    expect(primary.appPort).not.toBe(primary.port);
    expect(Number(new URL(url).port)).toBe(primary.appPort);

    const a = await client('client-a');
    const { rows } = await a.pg.query<{ name: string }>("SELECT current_setting('application_name') AS name");
    expect(rows[0].name).toBe('fault-proxy-test/client-a');
    const proxy = await local.proxyStatus(options);
    expect(proxy?.servers.find((s) => s.id === SERVER)?.connections['client-a']).toBeGreaterThanOrEqual(1);
  });

  it('delay on one path adds measurable round-trip time on an open connection', async () => {
    const a = await client('client-a');
    await local.delayPath(options, SERVER, 100, { client: 'client-a' });
    // 100 ms each way: at least 150 ms per round trip however loaded the machine (never an upper bound).
    const withDelay = await a.roundTrip();
    expect(withDelay).toBeGreaterThanOrEqual(150);
    await local.heal(options, { server: SERVER, client: 'client-a' });
    await eventually(async () => (await a.roundTrip()) < 100, 10_000);
  });

  it('blackhole for client A silences A (open and new connections) while client B keeps working', async () => {
    const a = await client('client-a');
    const b = await client('client-b');
    await local.partition(options, SERVER, { client: 'client-a', mode: 'blackhole' });

    await expect(a.pg.query('SELECT 1')).rejects.toThrow(/timeout/i);
    await expect(new TestClient(url, 'client-a').connect()).rejects.toThrow(/timeout/i);
    expect((await b.pg.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    await expect(client('client-b')).resolves.toBeDefined();

    await local.heal(options, { client: 'client-a' });
    const healed = await client('client-a');
    expect((await healed.pg.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('reset ends client A at once with an error the runner survives; B is untouched; heal restores A', async () => {
    const a = await client('client-a');
    const b = await client('client-b');
    await local.partition(options, SERVER, { client: 'client-a', mode: 'reset' });

    await eventually(async () => a.errors.length > 0, 5_000, 20);
    expect(a.errors[0].message).toMatch(/ECONNRESET|terminated|closed/i);
    await expect(a.pg.query('SELECT 1')).rejects.toThrow();
    const refused = new TestClient(url, 'client-a');
    clients.push(refused);
    await expect(refused.connect()).rejects.toThrow(/ECONNRESET|terminated|closed/i);
    expect((await b.pg.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);

    const removed = await local.heal(options, { server: SERVER, client: 'client-a' });
    expect(removed).toEqual([{ server: SERVER, client: 'client-a', fault: { mode: 'reset' } }]);
    const healed = await client('client-a');
    expect((await healed.pg.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('a rule for every client (*) applies to all, and a client rule overrides it', async () => {
    await local.partition(options, SERVER, { mode: 'reset' });
    await local.delayPath(options, SERVER, 0, { client: 'client-b' });
    await expect(new TestClient(url, 'client-a').connect()).rejects.toThrow();
    const b = await client('client-b');
    expect((await b.pg.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    await local.heal(options);
    expect((await local.proxyStatus(options))?.rules).toEqual([]);
  });

  it('reports a readable error for an unknown server', async () => {
    await expect(local.partition(options, 'no-such-server')).rejects.toThrow(/unknown server "no-such-server" \(known: .*us-east-primary/);
  });
});
