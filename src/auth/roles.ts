/** `admin` may change things (failover, reconnect, refresh); `viewer` may only read; `user` is an end user of the app's own routes. */
export type Role = 'admin' | 'viewer' | 'user';

export const ROLES: readonly Role[] = ['admin', 'viewer', 'user'];

export function isRole(value: unknown): value is Role {
  return ROLES.includes(value as Role);
}
