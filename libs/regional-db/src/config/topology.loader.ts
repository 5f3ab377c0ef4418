import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TopologyConfigError } from './topology-config.error';
import { hasEnvTopology, topologyFromEnv } from './topology.env';
import { parseTopology } from './topology.parser';
import { Topology } from './topology.types';

/** A topology file (JSON or YAML) parsed and validated. */
export function loadTopologyFile(file: string): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TopologyConfigError(file, 'TOPOLOGY_FILE', `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new TopologyConfigError(file, '(file)', `is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseTopology(raw, file);
}

/** Seed 002's DB_* variables parsed and validated; errors name the variable. */
export function loadTopologyFromEnv(env: NodeJS.ProcessEnv): Topology {
  const { raw, variables } = topologyFromEnv(env);
  return parseTopology(raw, 'environment', (path) => {
    for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const variable = variables.get(p);
      if (variable) return p === path ? variable : `${variable} (${path.slice(p.length + 1)})`;
    }
    return path;
  });
}

/** `TOPOLOGY_FILE` when set, else the DB_* variables; neither is a start-up error. */
export function loadTopology(env: NodeJS.ProcessEnv): Topology {
  if (env.TOPOLOGY_FILE) return loadTopologyFile(env.TOPOLOGY_FILE);
  if (hasEnvTopology(env)) return loadTopologyFromEnv(env);
  throw new TopologyConfigError(
    'environment',
    'TOPOLOGY_FILE',
    'no topology configured: set TOPOLOGY_FILE or DB_<REGION>_URL variables (npm start brings up a local topology)',
  );
}
