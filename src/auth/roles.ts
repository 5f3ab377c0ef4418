/** `admin` may change things (failover, reconnect, refresh); `viewer` may only read. */
export type Role = 'admin' | 'viewer';

export const ROLES: readonly Role[] = ['admin', 'viewer'];

export function isRole(value: unknown): value is Role {
  return ROLES.includes(value as Role);
}
