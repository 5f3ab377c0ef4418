import { AuthenticatedUser } from '../auth/authenticated-user';
import { AuditRecordInput } from './audit-entry';

/** A call to a route marked with an audit action, as the audit trail sees it. */
export interface AuditedCall {
  action: string;
  user?: AuthenticatedUser;
  params: Record<string, string>;
  body: unknown;
}

const MAX_RECORDED_INPUT = 1_000;

/** The audit entry of a finished call: its token subject, route parameters as target, status, and small input. */
export function callOutcome(call: AuditedCall, status: number, error?: string): AuditRecordInput {
  const target = Object.values(call.params).join('/');
  return {
    actor: call.user?.sub ?? 'anonymous',
    action: call.action,
    ...(target ? { target } : {}),
    result: status < 400 ? 'success' : 'failure',
    details: { status, ...(error === undefined ? {} : { error }), ...recordedInput(call.body) },
  };
}

/** The body, when there is one small enough to keep (it is the caller's, before validation: bound it). */
function recordedInput(body: unknown): { input?: unknown } {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return {};
  const json = JSON.stringify(body);
  return { input: json.length <= MAX_RECORDED_INPUT ? body : `${json.length} characters, not recorded` };
}
