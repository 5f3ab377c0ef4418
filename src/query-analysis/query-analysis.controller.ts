import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryAnalysis, QueryAnalysisService } from './query-analysis.service';

@Controller('api/database')
export class QueryAnalysisController {
  constructor(private readonly analyzer: QueryAnalysisService) {}

  /** Body `{ "query": "SELECT ..." }`: read or write, complexity, and where the router would send it. */
  @Post('analyze-query')
  @HttpCode(200)
  analyze(@Body('query') query: unknown): Promise<QueryAnalysis> {
    return this.analyzer.analyze(query);
  }
}
