// A userspace TCP proxy in front of PostgreSQL servers (the kernel here has no netem): one listener per
// server, and per (client, server) path at run time: pass, delay, blackhole or reset. The client is told apart
// by the application_name of its StartupMessage (see pg-startup.ts).
import { createConnection, createServer, Server, Socket } from 'node:net';
import { PathAction, PathRule, PathTable } from './fault-rules';
import { clientIdOf, readStartupPacket } from './pg-startup';

export interface ProxiedServer {
  id: string;
  region: string;
  /** The server's real port on 127.0.0.1. */
  targetPort: number;
  /** Where the proxy listens for it; 0 picks a free port (see `port()`). */
  listenPort: number;
}

export interface FaultProxyOptions {
  servers: readonly ProxiedServer[];
  /** Delays from the latency table on every path without a rule of its own. */
  latency: boolean;
  /** Region of a client with none assigned (the topology's default region). */
  defaultClientRegion: string;
}

export interface FaultProxyStatus {
  latency: boolean;
  defaultClientRegion: string;
  servers: { id: string; region: string; port: number; targetPort: number; connections: Record<string, number> }[];
  rules: PathRule[];
  clientRegions: Record<string, string>;
}

const HOST = '127.0.0.1';

/**
 * One direction of a connection: chunks leave in the order they came, each no earlier than its delay, so a
 * fixed delay shifts the stream without reordering it. A slow reader pauses the writer (backpressure).
 */
class DelayedPipe {
  private queue: { chunk: Buffer; due: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ending = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
  ) {}

  push(chunk: Buffer, delayMs: number): void {
    if (this.ending) return;
    if (delayMs === 0 && !this.queue.length) return this.write(chunk);
    const due = Math.max(performance.now() + delayMs, this.queue.at(-1)?.due ?? 0);
    this.queue.push({ chunk, due });
    this.schedule();
  }

  /** Ends the far side once what is queued has left. */
  end(): void {
    this.ending = true;
    if (!this.queue.length) this.to.end();
  }

  /** Forgets what is queued: it will never arrive. */
  drop(): void {
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || !this.queue.length) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.queue[0].due - performance.now()));
  }

  private flush(): void {
    this.timer = null;
    // Timers may fire up to a millisecond early: what is due within it leaves now.
    const now = performance.now() + 1;
    while (this.queue.length && this.queue[0].due <= now) this.write(this.queue.shift()!.chunk);
    if (this.ending && !this.queue.length) this.to.end();
    this.schedule();
  }

  private write(chunk: Buffer): void {
    if (this.to.destroyed) return;
    if (!this.to.write(chunk) && !this.from.isPaused()) {
      this.from.pause();
      this.to.once('drain', () => this.from.resume());
    }
  }
}

/** One client connection through the proxy, and its connection to the server once the client is known. */
class ProxiedConnection {
  /** The instance id from application_name; '' until the startup packet is read. */
  clientId = '';
  private upstream: Socket | null = null;
  private toServer: DelayedPipe | null = null;
  private toClient: DelayedPipe | null = null;
  private pending: Buffer = Buffer.alloc(0);
  /** Blackholed: nothing is forwarded any more, in either direction, even after the path heals. */
  private severed = false;
  private closed = false;

  constructor(
    readonly server: ProxiedServer,
    private readonly client: Socket,
    private readonly paths: PathTable,
    private readonly onClose: (connection: ProxiedConnection) => void,
  ) {
    client.on('error', () => this.destroy());
    client.on('close', () => this.clientClosed());
    client.on('data', this.readStartup);
  }

  /** Applies the path's current rule at once: reset and blackhole also hit connections already open. */
  apply(): void {
    const action = this.action();
    if (action.mode === 'reset') this.destroy(true);
    else if (action.mode === 'blackhole') this.sever();
  }

  private action(): PathAction {
    return this.paths.actionFor(this.server.id, this.clientId);
  }

  /** Until the client is known: answer SSL/GSS encryption requests with 'N' (no TLS here), then connect. */
  private readonly readStartup = (chunk: Buffer): void => {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const packet = readStartupPacket(this.pending);
      if (packet.kind === 'incomplete') return;
      if (packet.kind === 'invalid') return this.destroy();
      if (packet.kind === 'encryption-request') {
        this.client.write('N');
        this.pending = this.pending.subarray(packet.length);
        continue;
      }
      // A CancelRequest carries no application_name: only `*` rules reach it.
      this.clientId = packet.kind === 'startup' ? clientIdOf(packet.parameters.application_name) : '';
      this.client.off('data', this.readStartup);
      return this.connect();
    }
  };

  private connect(): void {
    const first = this.pending;
    this.pending = Buffer.alloc(0);
    const action = this.action();
    if (action.mode === 'reset') return this.destroy(true);
    if (action.mode === 'blackhole') {
      // Accepted and kept open, never answered; what the client sends is swallowed.
      this.severed = true;
      this.client.on('data', () => undefined);
      return;
    }
    const upstream = createConnection({ host: HOST, port: this.server.targetPort });
    upstream.setNoDelay(true);
    this.upstream = upstream;
    this.toServer = new DelayedPipe(this.client, upstream);
    this.toClient = new DelayedPipe(upstream, this.client);
    upstream.on('error', () => this.destroy());
    upstream.on('data', (chunk: Buffer) => this.forward(this.toClient!, chunk));
    upstream.on('end', () => this.toClient?.end());
    upstream.on('close', () => this.toClient?.end());
    this.client.on('data', (chunk: Buffer) => this.forward(this.toServer!, chunk));
    this.client.on('end', () => this.toServer?.end());
    this.forward(this.toServer, first);
  }

  private forward(pipe: DelayedPipe, chunk: Buffer): void {
    if (this.severed || this.closed) return;
    const action = this.action();
    if (action.mode === 'reset') this.destroy(true);
    else if (action.mode === 'blackhole') this.sever();
    else pipe.push(chunk, action.delayMs);
  }

  private sever(): void {
    this.severed = true;
    this.toServer?.drop();
    this.toClient?.drop();
  }

  /** Cuts both sides now; `reset`: the client gets an RST (ECONNRESET), not a clean end. */
  destroy(reset = false): void {
    this.toServer?.drop();
    this.toClient?.drop();
    if (reset && !this.client.destroyed) this.client.resetAndDestroy();
    else this.client.destroy();
    this.upstream?.destroy();
  }

  private clientClosed(): void {
    if (this.closed) return;
    this.closed = true;
    // A live path lets the server see the client's last bytes; a severed one has nothing more to say.
    if (this.severed || !this.toServer) this.upstream?.destroy();
    else this.toServer.end();
    this.onClose(this);
  }
}

export class FaultProxy {
  readonly paths: PathTable;
  private readonly listeners = new Map<string, Server>();
  private readonly connections = new Set<ProxiedConnection>();

  constructor(private readonly options: FaultProxyOptions) {
    this.paths = new PathTable(options);
  }

  async start(): Promise<void> {
    try {
      for (const server of this.options.servers) this.listeners.set(server.id, await this.listen(server));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Closes every listener and cuts every connection. */
  async stop(): Promise<void> {
    const closing = [...this.listeners.values()].map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
    this.listeners.clear();
    for (const c of [...this.connections]) c.destroy();
    await Promise.all(closing);
  }

  /** The port the proxy listens on for `serverId`. */
  port(serverId: string): number {
    const address = this.listeners.get(serverId)?.address();
    if (!address || typeof address === 'string') throw new Error(`the proxy does not listen for "${serverId}"`);
    return address.port;
  }

  setRule(rule: PathRule): void {
    this.paths.setRule(rule);
    this.applyRules();
  }

  clearRules(filter: { server?: string; client?: string } = {}): PathRule[] {
    return this.paths.clearRules(filter);
  }

  setClientRegion(client: string, region: string): void {
    this.paths.setClientRegion(client, region);
  }

  status(): FaultProxyStatus {
    const { rules, clientRegions } = this.paths.list();
    return {
      latency: this.paths.latency,
      defaultClientRegion: this.options.defaultClientRegion,
      servers: this.options.servers.map((s) => ({
        id: s.id,
        region: s.region,
        port: this.listeners.has(s.id) ? this.port(s.id) : s.listenPort,
        targetPort: s.targetPort,
        connections: this.connectionsTo(s.id),
      })),
      rules,
      clientRegions,
    };
  }

  private connectionsTo(serverId: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.connections) if (c.server.id === serverId) counts[c.clientId || '?'] = (counts[c.clientId || '?'] ?? 0) + 1;
    return counts;
  }

  private applyRules(): void {
    for (const c of [...this.connections]) c.apply();
  }

  private listen(server: ProxiedServer): Promise<Server> {
    const listener = createServer((socket) => {
      socket.setNoDelay(true);
      this.connections.add(new ProxiedConnection(server, socket, this.paths, (c) => this.connections.delete(c)));
    });
    return new Promise((resolve, reject) => {
      listener.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(`proxy for ${server.id}: cannot listen on ${HOST}:${server.listenPort} (${error.code ?? error.message})`)),
      );
      listener.listen(server.listenPort, HOST, () => {
        listener.on('error', () => undefined); // accept errors after start must not kill the proxy
        resolve(listener);
      });
    });
  }
}
