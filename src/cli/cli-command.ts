import { parseArgs } from 'node:util';

export const USAGE = `usage: regional-db <command> [options]

  status                                 every group's endpoints: role, lag, timeline, fenced, healthy
  switchover <group> [--to <endpoint>]   planned: the primary must be healthy; nothing acknowledged is lost
  failover <group> [--to <endpoint>]     promote a replica now, whatever the primary's state
  pause [<group>] [--reason <text>]      pause automatic failover (every group without <group>)
  resume [<group>]                       resume automatic failover
  history [--limit <n>]                  past failovers, newest first
  alerts                                 active alerts
  alerts ack <id>                        acknowledge an active alert
  alerts silence <id> --for <30m|2h|1d> [--comment <text>]

options: --json (the API's answer as JSON), --url <base> (else REGIONAL_DB_URL, else http://127.0.0.1:3000)
the bearer token comes from REGIONAL_DB_TOKEN (npm run token -- --role admin)`;

export type CliCommand =
  | { name: 'status' }
  | { name: 'switchover' | 'failover'; group: string; to?: string }
  | { name: 'pause'; group?: string; reason?: string }
  | { name: 'resume'; group?: string }
  | { name: 'history'; limit: number }
  | { name: 'alerts' }
  | { name: 'ack'; id: string }
  | { name: 'silence'; id: string; seconds: number; comment?: string };

export interface CliInvocation {
  command: CliCommand;
  json: boolean;
  url: string | undefined;
}

/** A command line that cannot be run: exit code 2 with the usage. */
export class UsageError extends Error {}

/** What the command line asks for; throws `UsageError` naming what is wrong. */
export function parseCommandLine(argv: readonly string[]): CliInvocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        url: { type: 'string' },
        to: { type: 'string' },
        reason: { type: 'string' },
        limit: { type: 'string' },
        for: { type: 'string' },
        comment: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  const args = (min: number, max: number) => {
    if (rest.length < min || rest.length > max) throw new UsageError(`${name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${rest.length}`);
    return rest;
  };
  const allowed = (...options: string[]) => {
    const extra = ['to', 'reason', 'limit', 'for', 'comment'].filter((o) => values[o as keyof typeof values] !== undefined && !options.includes(o));
    if (extra.length) throw new UsageError(`${name} takes no --${extra[0]}`);
  };
  const invocation = (command: CliCommand): CliInvocation => ({ command, json: values.json ?? false, url: values.url });
  switch (name) {
    case 'status':
      args(0, 0);
      allowed();
      return invocation({ name });
    case 'switchover':
    case 'failover': {
      const [group] = args(1, 1);
      allowed('to');
      return invocation({ name, group, ...(values.to ? { to: values.to } : {}) });
    }
    case 'pause': {
      const [group] = args(0, 1);
      allowed('reason');
      return invocation({ name, ...(group ? { group } : {}), ...(values.reason ? { reason: values.reason } : {}) });
    }
    case 'resume': {
      const [group] = args(0, 1);
      allowed();
      return invocation({ name, ...(group ? { group } : {}) });
    }
    case 'history': {
      args(0, 0);
      allowed('limit');
      const limit = Number(values.limit ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000, got "${values.limit}"`);
      return invocation({ name, limit });
    }
    case 'alerts':
      return invocation(alertsCommand(rest, values, allowed));
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}

function alertsCommand(rest: string[], values: { for?: string; comment?: string }, allowed: (...options: string[]) => void): CliCommand {
  const [action, id, ...extra] = rest;
  if (action === undefined) {
    allowed();
    return { name: 'alerts' };
  }
  if ((action !== 'ack' && action !== 'silence') || !id || extra.length) throw new UsageError('alerts takes nothing, "ack <id>" or "silence <id> --for <duration>"');
  if (action === 'ack') {
    allowed();
    return { name: 'ack', id };
  }
  allowed('for', 'comment');
  if (!values.for) throw new UsageError('alerts silence needs --for <duration> (30m, 2h, 1d)');
  return { name: 'silence', id, seconds: parseDuration(values.for), ...(values.comment ? { comment: values.comment } : {}) };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `30m`, `2h`, `1d` in seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) throw new UsageError(`a duration is a whole number and a unit (s, m, h, d), like 30m; got "${text}"`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}
