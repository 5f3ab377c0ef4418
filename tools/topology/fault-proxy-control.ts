// The fault proxy's control API: HTTP JSON on 127.0.0.1, served by the proxy's process, used by the topology CLI.
//   GET  /status                                   rules, client regions, listeners and open connections
//   POST /rules          { server, client?, mode, ms? }   set one path's fault (client defaults to "*")
//   POST /heal           { server?, client? }       remove the matching rules (all of them when empty)
//   POST /client-regions { client, region }         where a client sits, for the latency model
// A bad request is a 400 with { error }.
import { createServer, IncomingMessage, Server } from 'node:http';
import { FaultProxy, FaultProxyStatus } from './fault-proxy';
import { ANY_CLIENT, parseFault, PathRule } from './fault-rules';
import { TopologyError } from './options';

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 64 * 1024;

export interface RuleRequest {
  server: string;
  client?: string;
  mode: string;
  ms?: number;
}

export interface HealRequest {
  server?: string;
  client?: string;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > MAX_BODY_BYTES) throw new TopologyError('request body too large');
  }
  if (!body) return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TopologyError('the body must be a JSON object');
}

const optionalString = (body: Record<string, unknown>, key: string): string | undefined => {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new TopologyError(`"${key}" must be a string`);
  return value;
};

const requiredString = (body: Record<string, unknown>, key: string): string => {
  const value = optionalString(body, key);
  if (value === undefined) throw new TopologyError(`"${key}" is required`);
  return value;
};

async function handle(proxy: FaultProxy, request: IncomingMessage): Promise<unknown> {
  const route = `${request.method} ${new URL(request.url ?? '/', 'http://proxy').pathname}`;
  switch (route) {
    case 'GET /status':
      return proxy.status();
    case 'POST /rules': {
      const body = await readJson(request);
      const rule: PathRule = {
        server: requiredString(body, 'server'),
        client: optionalString(body, 'client') ?? ANY_CLIENT,
        fault: parseFault(requiredString(body, 'mode'), body.ms),
      };
      proxy.setRule(rule);
      return { rule };
    }
    case 'POST /heal': {
      const body = await readJson(request);
      return { removed: proxy.clearRules({ server: optionalString(body, 'server'), client: optionalString(body, 'client') }) };
    }
    case 'POST /client-regions': {
      const body = await readJson(request);
      const client = requiredString(body, 'client');
      const region = requiredString(body, 'region');
      proxy.setClientRegion(client, region);
      return { client, region };
    }
    default:
      throw new RouteNotFound(route);
  }
}

class RouteNotFound extends Error {}

export function serveControl(proxy: FaultProxy, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(`${JSON.stringify(body)}\n`);
    };
    handle(proxy, request).then(
      (body) => reply(200, body),
      (error: Error) => reply(error instanceof RouteNotFound ? 404 : error instanceof TopologyError ? 400 : 500, { error: error instanceof RouteNotFound ? `no route ${error.message}` : error.message }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`proxy control API: cannot listen on ${HOST}:${port} (${error.code ?? error.message})`)));
    server.listen(port, HOST, () => resolve(server));
  });
}

/** The CLI's side of the control API; every failure is a TopologyError with the proxy's own words. */
export class FaultProxyControl {
  constructor(readonly port: number) {}

  status(): Promise<FaultProxyStatus> {
    return this.call('GET', '/status');
  }

  setRule(request: RuleRequest): Promise<{ rule: PathRule }> {
    return this.call('POST', '/rules', request);
  }

  heal(request: HealRequest = {}): Promise<{ removed: PathRule[] }> {
    return this.call('POST', '/heal', request);
  }

  setClientRegion(client: string, region: string): Promise<{ client: string; region: string }> {
    return this.call('POST', '/client-regions', { client, region });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`http://${HOST}:${this.port}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw new TopologyError(`the fault proxy does not answer on ${HOST}:${this.port} (${(error as Error).cause ?? (error as Error).message})`);
    }
    const reply = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok) throw new TopologyError(`fault proxy: ${reply.error ?? `HTTP ${response.status}`}`);
    return reply;
  }
}
