import { InvalidSettingError } from './invalid-setting.error';

/** `BODY_LIMIT` (default 100kb): the largest JSON or form body accepted, in body-parser's notation. */
export function bodyLimit(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.BODY_LIMIT?.trim().toLowerCase();
  if (!raw) return '100kb';
  if (!/^\d{1,6}(b|kb|mb)$/.test(raw)) throw new InvalidSettingError('BODY_LIMIT', `must look like 100kb or 1mb, got ${JSON.stringify(env.BODY_LIMIT)}`);
  return raw;
}
