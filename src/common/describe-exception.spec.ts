import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { describeException } from './describe-exception';

const parserError = (type: string, status: number, body = '{"a": }') =>
  new HttpException('Unexpected token } in JSON at position 7', status, { cause: Object.assign(new Error('parser'), { type, body }) });

describe('describeException', () => {
  it('answers body parser failures in plain words', () => {
    expect(describeException(parserError('entity.parse.failed', 400), '100kb')).toEqual({ status: 400, message: 'Malformed JSON body', unexpected: false });
    expect(describeException(parserError('entity.parse.failed', 400, ' "SELECT 1"')).message).toBe('Request body must be a JSON object');
    expect(describeException(parserError('entity.parse.failed', 400, 'null')).message).toBe('Request body must be a JSON object');
    expect(describeException(parserError('entity.too.large', 413), '100kb')).toEqual({ status: 413, message: 'Request body too large (limit 100kb)', unexpected: false });
    expect(describeException(new PayloadTooLargeException('x', { cause: Object.assign(new Error(), { type: 'entity.too.large' }) })).message).toBe('Request body too large');
  });

  it('keeps the status and message of an HttpException, joining validation messages', () => {
    expect(describeException(new NotFoundException('Unknown region "mars"'))).toEqual({ status: 404, message: 'Unknown region "mars"', unexpected: false });
    expect(describeException(new BadRequestException(['property evil should not exist', 'limit must be an integer']))).toMatchObject({
      status: 400,
      message: 'property evil should not exist; limit must be an integer',
    });
  });

  it('bounds a message that quotes a hostile client', () => {
    expect(describeException(new BadRequestException(`property ${'a'.repeat(5_000)} should not exist`)).message).toHaveLength(1_003);
  });

  it('hides anything that is not an HttpException behind a generic 500', () => {
    expect(describeException(new Error('connect ECONNREFUSED postgresql://app:pw@db:5432/app'))).toEqual({ status: 500, message: 'Internal server error', unexpected: true });
    expect(describeException('a string')).toMatchObject({ status: 500, unexpected: true });
  });
});
