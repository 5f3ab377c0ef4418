import { ApiProperty } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

/** The one shape of every error this API answers. */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request', description: 'The HTTP status text' })
  error!: string;

  @ApiProperty({ example: 'limit must be an integer from 1 to 1000, got "abc"' })
  message!: string;
}

export function errorResponse(statusCode: number, message: string): ErrorResponse {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}
