// The fault proxy as a process of its own, started by `topology up --proxy | --latency` and stopped by `down`:
// it outlives the CLI that started it. Argument: its configuration file (written by fault-proxy-process.ts).
import { readFileSync } from 'node:fs';
import { FaultProxy } from './fault-proxy';
import { serveControl } from './fault-proxy-control';
import type { FaultProxyDaemonConfig } from './fault-proxy-process';

async function main(configFile: string): Promise<void> {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as FaultProxyDaemonConfig;
  const proxy = new FaultProxy(config);
  await proxy.start();
  const control = await serveControl(proxy, config.controlPort);
  console.log(`fault proxy: ${config.servers.length} listeners, control API on 127.0.0.1:${config.controlPort}, latency ${config.latency ? 'on' : 'off'}`);
  const stop = async (signal: string) => {
    console.log(`fault proxy: ${signal}, stopping`);
    control.close();
    await proxy.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main(process.argv[2]).catch((error: Error) => {
  console.error(`fault proxy: ${error.message}`);
  process.exit(1);
});
