import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Environment, SETTING_NAMES, validateEnvironment } from './environment';
import { loadTopology, Topology } from '@regional-db/nestjs';

export type AppConfig = ConfigService<Environment, true>;

/** The topology the settings name (`TOPOLOGY_FILE` or the DB_* variables), checked with them. */
export const CONFIGURED_TOPOLOGY = Symbol('CONFIGURED_TOPOLOGY');

/** Settings checked against the schema outside Nest (benchmarks, CLIs, tests). */
export function configFrom(raw: Record<string, unknown>): AppConfig {
  return new ConfigService<Environment, true>(validateEnvironment(raw));
}

/** The validated settings as one typed object, for the `*.settings.ts` readers. */
export function environmentOf(config: AppConfig): Environment {
  return Object.fromEntries(SETTING_NAMES.map((name) => [name, config.get(name, { infer: true })])) as Environment;
}

/**
 * The configuration layer: `ConfigModule.forRoot` checks the environment against the one schema
 * (`Environment`) and loads the topology (`TOPOLOGY_FILE` or the DB_* variables) while the module graph is
 * being defined, so a bad value stops start-up with one line naming it before any provider exists, let alone a
 * connection. No `.env` file is read: the environment is the deployment's (compose's `.env` is compose's own).
 */
@Module({})
export class SettingsModule {
  static async forRoot(options: { topology?: Topology } = {}): Promise<DynamicModule> {
    let topology = options.topology;
    const config = await ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      cache: true,
      validate: (raw) => {
        const environment = validateEnvironment(raw);
        topology ??= loadTopology(raw);
        return environment;
      },
    });
    return {
      module: SettingsModule,
      global: true,
      imports: [config],
      providers: [{ provide: CONFIGURED_TOPOLOGY, useValue: topology }],
      exports: [CONFIGURED_TOPOLOGY],
    };
  }
}
