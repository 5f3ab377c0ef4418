import type { LevelWithSilent } from 'pino';
import { envBool, envString } from '../config/env';
import { InvalidSettingError } from '../common/invalid-setting.error';

const LEVELS: LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggingSettings {
  level: LevelWithSilent;
  /** Human-readable lines (pino-pretty, a dev dependency) instead of JSON. */
  pretty: boolean;
}

/**
 * `LOG_LEVEL` (info; warn under jest, whose suites would otherwise print every request) and `LOG_PRETTY`
 * (on when NODE_ENV=development). A bad value stops start-up naming the variable.
 */
export function loggingSettings(env: NodeJS.ProcessEnv): LoggingSettings {
  const level = envString(env, 'LOG_LEVEL', env.NODE_ENV === 'test' ? 'warn' : 'info').toLowerCase();
  if (!LEVELS.includes(level as LevelWithSilent)) {
    throw new InvalidSettingError('LOG_LEVEL', `must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  }
  return { level: level as LevelWithSilent, pretty: envBool(env, 'LOG_PRETTY', env.NODE_ENV === 'development') };
}
