/**
 * What a parsed SQL text does, from PostgreSQL's own parse tree (libpg-query): whether a replica can run it,
 * why not, and how heavy it looks. Pure: parse tree in, classification out.
 */

export type Complexity = 'simple' | 'moderate' | 'complex';

export interface QueryFeatures {
  joins: number;
  subqueries: number;
  aggregates: number;
  commonTableExpressions: number;
  windowFunctions: number;
  setOperations: number;
  groupBy: boolean;
}

export interface SqlClassification {
  /** Every statement only reads: a hot-standby replica can run it with the same result. */
  isRead: boolean;
  /** Some statement writes, locks, or otherwise needs the primary. */
  isWrite: boolean;
  statementKinds: string[];
  /** Why the primary is needed (empty for a pure read). */
  primaryReasons: string[];
  features: QueryFeatures;
  estimatedComplexity: Complexity;
}

/** The parse tree's shape as far as this module reads it. */
export interface ParsedSql {
  stmts: { stmt: Record<string, unknown> }[];
}

/** Statements a replica runs like the primary, once their tree holds nothing that writes or locks. */
const READ_STATEMENTS = new Set(['SelectStmt', 'ExplainStmt', 'VariableShowStmt', 'VariableSetStmt', 'DeclareCursorStmt', 'FetchStmt', 'ClosePortalStmt', 'PrepareStmt', 'DeallocateStmt', 'CopyStmt', 'TransactionStmt']);

/** Two-phase commit needs a writable server. */
const PRIMARY_TRANSACTION_KINDS = new Set(['TRANS_STMT_PREPARE', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED']);

const DATA_MODIFYING = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Built-in functions that write, or whose effect only means something on the primary. */
const PRIMARY_FUNCTIONS: Record<string, string> = {
  nextval: 'advances a sequence',
  setval: 'sets a sequence',
  currval: 'reads a sequence value of the session that advanced it',
  lastval: 'reads a sequence value of the session that advanced it',
  txid_current: 'assigns a transaction id',
  pg_current_xact_id: 'assigns a transaction id',
  pg_notify: 'sends a notification to the primary\'s listeners',
  lo_create: 'creates a large object',
  lo_creat: 'creates a large object',
  lo_import: 'creates a large object',
  lo_from_bytea: 'creates a large object',
  lo_put: 'writes a large object',
  lo_unlink: 'deletes a large object',
  pg_switch_wal: 'switches WAL files',
  pg_create_restore_point: 'writes a restore point',
};
for (const name of ['lock', 'lock_shared', 'xact_lock', 'xact_lock_shared', 'unlock', 'unlock_shared', 'unlock_all']) {
  PRIMARY_FUNCTIONS[`pg_advisory_${name}`] = 'takes an advisory lock: a replica\'s lock excludes no session on the primary';
  PRIMARY_FUNCTIONS[`pg_try_advisory_${name}`] = PRIMARY_FUNCTIONS[`pg_advisory_${name}`];
}

const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg',
  'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp',
  'percentile_cont', 'percentile_disc', 'mode', 'corr', 'covar_pop', 'covar_samp', 'regr_slope', 'xmlagg',
]);

export function classifySql(parsed: ParsedSql): SqlClassification {
  const features: QueryFeatures = { joins: 0, subqueries: 0, aggregates: 0, commonTableExpressions: 0, windowFunctions: 0, setOperations: 0, groupBy: false };
  const reasons = new Set<string>();
  const statementKinds: string[] = [];
  for (const { stmt } of parsed.stmts) {
    const [kind, body] = Object.entries(stmt)[0] as [string, Record<string, unknown>];
    statementKinds.push(kind);
    const statementReason = primaryStatementReason(kind, body);
    if (statementReason) reasons.add(statementReason);
    // Plain EXPLAIN only plans: what the explained statement would write does not happen.
    const plansOnly = kind === 'ExplainStmt' && !hasOption(body.options, 'analyze');
    visit(stmt, features, plansOnly ? new Set() : reasons);
  }
  const isWrite = reasons.size > 0;
  return {
    isRead: !isWrite,
    isWrite,
    statementKinds,
    primaryReasons: [...reasons],
    features,
    estimatedComplexity: complexity(features),
  };
}

/**
 * Weights: a join 1, a subquery, CTE or window function 2, a set operation 1, GROUP BY 1.
 * 0–1 simple (a lookup, one join), 2–4 moderate, 5+ complex.
 */
export function complexity(f: QueryFeatures): Complexity {
  const score = f.joins + 2 * (f.subqueries + f.commonTableExpressions + f.windowFunctions) + f.setOperations + (f.groupBy ? 1 : 0);
  return score <= 1 ? 'simple' : score <= 4 ? 'moderate' : 'complex';
}

function primaryStatementReason(kind: string, body: Record<string, unknown>): string | null {
  if (!READ_STATEMENTS.has(kind)) return DATA_MODIFYING.has(kind) ? 'modifies data' : `${kind} needs a writable server`;
  if (kind === 'CopyStmt' && body.is_from) return 'COPY FROM writes a table';
  if (kind === 'TransactionStmt' && PRIMARY_TRANSACTION_KINDS.has(body.kind as string)) return 'two-phase commit needs a writable server';
  if (kind === 'ExplainStmt' && hasOption(body.options, 'analyze')) {
    // EXPLAIN ANALYZE runs the statement: it is as much a write as what it explains.
    const [innerKind, inner] = Object.entries(body.query as Record<string, unknown>)[0] as [string, Record<string, unknown>];
    return primaryStatementReason(innerKind, inner);
  }
  return null;
}

function hasOption(options: unknown, name: string): boolean {
  return Array.isArray(options) && options.some((o) => (o as { DefElem?: { defname?: string; arg?: unknown } }).DefElem?.defname === name && !isFalse((o as any).DefElem.arg));
}

function isFalse(arg: unknown): boolean {
  const value = (arg as { Boolean?: { boolval?: boolean }; String?: { sval?: string } } | undefined);
  return value?.Boolean !== undefined ? !value.Boolean.boolval : ['false', 'off', '0'].includes(value?.String?.sval?.toLowerCase() ?? '');
}

function visit(node: unknown, features: QueryFeatures, reasons: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, features, reasons);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    switch (key) {
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt':
        reasons.add('modifies data');
        break;
      case 'lockingClause':
        if (Array.isArray(value) && value.length > 0) reasons.add('locks rows (SELECT ... FOR UPDATE/SHARE)');
        break;
      case 'intoClause':
        reasons.add('SELECT INTO creates a table');
        break;
      case 'JoinExpr':
        features.joins++;
        break;
      case 'fromClause':
        if (Array.isArray(value)) features.joins += Math.max(0, value.length - 1);
        break;
      case 'SubLink':
      case 'RangeSubselect':
        features.subqueries++;
        break;
      case 'CommonTableExpr':
        features.commonTableExpressions++;
        break;
      case 'groupClause':
        features.groupBy = true;
        break;
      case 'op':
        if (typeof value === 'string' && value.startsWith('SETOP_') && value !== 'SETOP_NONE') features.setOperations++;
        break;
      case 'FuncCall':
        functionCall(value as FuncCall, features, reasons);
        break;
    }
    visit(value, features, reasons);
  }
}

interface FuncCall {
  funcname?: { String?: { sval?: string } }[];
  over?: unknown;
  agg_star?: boolean;
  agg_distinct?: boolean;
}

function functionCall(call: FuncCall, features: QueryFeatures, reasons: Set<string>): void {
  const names = call.funcname ?? [];
  const name = names[names.length - 1]?.String?.sval?.toLowerCase() ?? '';
  const schema = names.length > 1 ? names[0]?.String?.sval : 'pg_catalog';
  if (call.over !== undefined) features.windowFunctions++;
  else if (call.agg_star || call.agg_distinct || AGGREGATES.has(name)) features.aggregates++;
  // A schema-qualified function outside pg_catalog is the user's own: its effect cannot be read from the text.
  const reason = schema === 'pg_catalog' ? PRIMARY_FUNCTIONS[name] : undefined;
  if (reason) reasons.add(`${name}() ${reason}`);
}
