import { BadRequestException, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { hasSqlDetails, loadModule, parse } from 'libpg-query';
import { REGIONAL_DATABASE_SETTINGS, RegionalDatabaseSettings } from '../config/regional-database.settings';
import { classifySql, ParsedSql, SqlClassification } from './sql-classification';

export interface QueryAnalysis {
  query: string;
  analysis: SqlClassification;
  /** Seed 004's operation kind this SQL belongs to. */
  operationKind: 'read' | 'analytics' | 'write';
  routeTo: 'replica' | 'primary';
  recommendation: string;
}

/** Seed 002's `analyze-query`: PostgreSQL's own parser (WebAssembly, loaded once at start) classifies the text. */
@Injectable()
export class QueryAnalysisService implements OnModuleInit {
  readonly maxBytes: number;

  constructor(@Inject(REGIONAL_DATABASE_SETTINGS) settings: RegionalDatabaseSettings) {
    this.maxBytes = settings.ANALYZE_QUERY_MAX_BYTES;
  }

  async onModuleInit(): Promise<void> {
    await loadModule();
  }

  async analyze(query: unknown): Promise<QueryAnalysis> {
    if (typeof query !== 'string') throw new BadRequestException('query must be a string of SQL');
    if (query.trim() === '') throw new BadRequestException('query must not be empty');
    const bytes = Buffer.byteLength(query, 'utf8');
    if (bytes > this.maxBytes) throw new BadRequestException(`query is ${bytes} bytes, over the ${this.maxBytes} byte limit (ANALYZE_QUERY_MAX_BYTES)`);
    let parsed: ParsedSql;
    try {
      parsed = (await parse(query)) as unknown as ParsedSql;
    } catch (error) {
      const position = hasSqlDetails(error) && error.sqlDetails ? ` at position ${error.sqlDetails.cursorPosition + 1}` : '';
      throw new BadRequestException(`SQL does not parse: ${(error as Error).message}${position}`);
    }
    if (!parsed.stmts?.length) throw new BadRequestException('query contains no SQL statement');
    const analysis = classifySql(parsed);
    return { query, analysis, ...recommend(analysis) };
  }
}

function recommend(analysis: SqlClassification): Pick<QueryAnalysis, 'operationKind' | 'routeTo' | 'recommendation'> {
  if (analysis.isWrite) {
    return { operationKind: 'write', routeTo: 'primary', recommendation: `Route to the primary: ${analysis.primaryReasons.join('; ')}` };
  }
  if (analysis.estimatedComplexity === 'complex') {
    return { operationKind: 'analytics', routeTo: 'replica', recommendation: 'Route to an analytics replica (heavy read), else the nearest healthy replica' };
  }
  return { operationKind: 'read', routeTo: 'replica', recommendation: 'Route to the nearest healthy replica for optimal performance' };
}
