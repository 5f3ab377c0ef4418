import { AdminClient } from './admin-client';
import type { CliCommand } from './cli-command';
import { ActiveAlert, formatAlerts, formatHistory, formatStatus, HistoryEntry, StatusGroup } from './cli-format';

export interface CommandResult {
  /** The API's answer (`--json`). */
  answer: unknown;
  /** The same for people. */
  text: string;
  /** 1 when the API did what was asked but the outcome is a failure (a failover that did not complete). */
  exitCode: 0 | 1;
}

interface FailoverAnswer {
  success: boolean;
  message: string;
}

const API = '/api/database';

/** Runs one command against the admin API. */
export async function runCommand(command: CliCommand, api: AdminClient): Promise<CommandResult> {
  switch (command.name) {
    case 'status': {
      const status = await api.get<{ groups: StatusGroup[] }>(`${API}/status`);
      return done(status, formatStatus(status.groups));
    }
    case 'switchover':
    case 'failover': {
      if (command.name === 'switchover') await requireHealthyPrimary(api, command.group);
      const answer = await api.post<FailoverAnswer>(`${API}/failover/${encodeURIComponent(command.group)}`, command.to ? { targetEndpoint: command.to } : {});
      return { answer, text: answer.message, exitCode: answer.success ? 0 : 1 };
    }
    case 'pause': {
      const answer = await api.post<{ paused: { scope: string } }>(`${API}/maintenance/pause`, { group: command.group, reason: command.reason });
      return done(answer, `automatic failover paused for ${scopeName(answer.paused.scope)}`);
    }
    case 'resume': {
      const answer = await api.post<{ resumed: string[] }>(`${API}/maintenance/resume`, { group: command.group });
      return done(answer, answer.resumed.length ? `automatic failover resumed for ${answer.resumed.map(scopeName).join(', ')}` : 'nothing was paused');
    }
    case 'history': {
      const answer = await api.get<{ failovers: HistoryEntry[] }>(`${API}/failover-history?limit=${command.limit}`);
      return done(answer, formatHistory(answer.failovers));
    }
    case 'alerts': {
      const answer = await api.get<{ active: ActiveAlert[] }>(`${API}/alerts?limit=1`);
      return done(answer, formatAlerts(answer.active));
    }
    case 'ack': {
      const alert = await api.post<ActiveAlert>(`${API}/alerts/${encodeURIComponent(command.id)}/acknowledge`);
      return done(alert, `acknowledged ${alert.type} (${alert.endpointId ?? alert.group ?? 'coordination'}): ${alert.message}`);
    }
    case 'silence': {
      const alert = await api.post<ActiveAlert>(`${API}/alerts/${encodeURIComponent(command.id)}/silence`, { durationSeconds: command.seconds, comment: command.comment });
      return done(alert, `silenced ${alert.type} (${alert.endpointId ?? alert.group ?? 'coordination'}) until ${alert.silenced?.until}`);
    }
  }
}

/** A switchover is planned: refused here, before anything happens, when the group has no healthy primary. */
async function requireHealthyPrimary(api: AdminClient, group: string): Promise<void> {
  const { groups } = await api.get<{ groups: StatusGroup[] }>(`${API}/status`);
  const found = groups.find((g) => g.name === group);
  if (!found) throw new Error(`unknown group "${group}" (known: ${groups.map((g) => g.name).join(', ')})`);
  const primary = found.endpoints.find((e) => e.id === found.primary);
  if (!primary?.healthy) throw new Error(`${group} has no healthy primary (${found.primary ?? 'none'}): a switchover needs one; use "failover ${group}"`);
}

function done(answer: unknown, text: string): CommandResult {
  return { answer, text, exitCode: 0 };
}

function scopeName(scope: string): string {
  return scope === '*' ? 'every group' : scope;
}
