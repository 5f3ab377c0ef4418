// An in-process fault proxy in front of every server of a loaded topology, and the same topology with its
// URLs pointing at the proxy: for suites and benches that need latency or faults on a topology they share.
import { allEndpoints, ReplicationGroupConfig, Topology } from '../../libs/regional-db/src/config/topology.types';
import { FaultProxy } from '../../tools/topology/fault-proxy';

/** Starts a proxy (listeners on free ports) in front of every endpoint of `topology`. */
export async function startProxyFor(topology: Topology, latency: boolean): Promise<FaultProxy> {
  const servers = allEndpoints(topology).map((e) => ({ id: e.id, region: e.region, targetPort: Number(new URL(e.url).port), listenPort: 0 }));
  const proxy = new FaultProxy({ servers, latency, defaultClientRegion: topology.defaultRegion });
  await proxy.start();
  return proxy;
}

/** `topology` with every endpoint's URLs (the app's and the failover's) on the proxy's port for it. */
export function throughProxy(topology: Topology, proxy: FaultProxy): Topology {
  const group = (g: ReplicationGroupConfig): ReplicationGroupConfig => {
    const onProxy = (id: string, text: string) => {
      const url = new URL(text);
      url.port = String(proxy.port(id));
      return url.toString();
    };
    const endpoint = <T extends { id: string; url: string; adminUrl: string }>(e: T): T => ({ ...e, url: onProxy(e.id, e.url), adminUrl: onProxy(e.id, e.adminUrl) });
    return { ...g, primary: endpoint(g.primary), replicas: g.replicas.map(endpoint) };
  };
  return { ...topology, groups: topology.groups.map(group), global: topology.global && group(topology.global) };
}
