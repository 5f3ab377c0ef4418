import { InvalidSettingError } from '../common/invalid-setting.error';

/** Typed readers of environment settings; a bad value is a start-up error naming the variable. */
export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new InvalidSettingError(name, `must be a number between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function envBool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new InvalidSettingError(name, `must be true or false, got ${JSON.stringify(env[name])}`);
}

export function envFraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1) {
    throw new InvalidSettingError(name, `must be a fraction in (0, 1] such as 0.05, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function envString(env: NodeJS.ProcessEnv, name: string, fallback: string): string;
export function envString(env: NodeJS.ProcessEnv, name: string): string | undefined;
export function envString(env: NodeJS.ProcessEnv, name: string, fallback?: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? fallback : raw;
}
