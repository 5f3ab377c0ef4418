import type { LevelWithSilent } from 'pino';
import type { Environment } from '../config/environment';

export interface LoggingSettings {
  level: LevelWithSilent;
  /** Human-readable lines (pino-pretty, a dev dependency) instead of JSON. */
  pretty: boolean;
}

/**
 * `LOG_LEVEL` (info; warn under jest, whose suites would otherwise print every request) and `LOG_PRETTY`
 * (on when NODE_ENV=development).
 */
export function loggingSettings(env: Environment): LoggingSettings {
  const level = (env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info')) as LevelWithSilent;
  return { level, pretty: env.LOG_PRETTY ?? env.NODE_ENV === 'development' };
}
