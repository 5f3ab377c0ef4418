import { Module } from '@nestjs/common';
import { QueryAnalysisController } from './query-analysis.controller';
import { QueryAnalysisService } from './query-analysis.service';

@Module({ controllers: [QueryAnalysisController], providers: [QueryAnalysisService], exports: [QueryAnalysisService] })
export class QueryAnalysisModule {}
