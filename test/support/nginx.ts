// Real nginx (Debian's nginx-light) run by a test on loopback with the REAL deploy/nginx/nginx.conf, its
// upstream servers mapped to local app instances.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const CONF = join(process.cwd(), 'deploy/nginx/nginx.conf');

/**
 * deploy/nginx/nginx.conf with each `server api-<region>:3000` pointed at `127.0.0.1:<port>` and the listener
 * on `127.0.0.1:<listenPort>`; everything else (upstream settings, retries, locations) exactly as deployed.
 */
export function renderNginxConf(text: string, upstreams: Record<string, number>, listenPort: number): string {
  let rendered = text;
  for (const [region, port] of Object.entries(upstreams)) {
    const server = new RegExp(`\\bserver api-${region}:3000\\b`, 'g');
    if ((rendered.match(server) ?? []).length !== 1) throw new Error(`nginx.conf: expected one "server api-${region}:3000"`);
    rendered = rendered.replace(server, `server 127.0.0.1:${port}`);
  }
  if (/\bserver api-/.test(rendered)) throw new Error('nginx.conf: an upstream server the test does not map');
  if ((rendered.match(/\blisten 80;/g) ?? []).length !== 1) throw new Error('nginx.conf: expected one "listen 80;"');
  return rendered.replace(/\blisten 80;/, `listen 127.0.0.1:${listenPort};`);
}

/** A free port in [from, to] on loopback (the test's own range, not shared with other runs). */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export interface RunningNginx {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground (`daemon off`) in a directory of its own; resolves once it answers. */
export async function startNginx(upstreams: Record<string, number>, ports: { from: number; to: number }): Promise<RunningNginx> {
  const port = await freePort(ports.from, ports.to);
  const dir = mkdtempSync(join(tmpdir(), 'nginx-e2e-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, renderNginxConf(readFileSync(CONF, 'utf8'), upstreams, port));
  // Files, not pipes: the config logs to /dev/stdout and /dev/stderr, which nginx cannot open on a socket.
  const out = openSync(join(dir, 'stdout.log'), 'w');
  const err = openSync(join(dir, 'stderr.log'), 'w');
  const child: ChildProcess = spawn(NGINX_BIN, ['-p', dir, '-c', conf, '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], {
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  const stderr = () => readFileSync(join(dir, 'stderr.log'), 'utf8').slice(-4000);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      const message = stderr();
      await stop();
      throw new Error(`nginx exited (${child.exitCode}): ${message}`);
    }
    const answered = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.status > 0, () => false);
    if (answered) return { port, url: `http://127.0.0.1:${port}`, stop };
    if (Date.now() > deadline) {
      const message = stderr();
      await stop();
      throw new Error(`nginx did not answer on ${port} within 15 s: ${message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
