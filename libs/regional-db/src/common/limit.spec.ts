import { describe, expect, it } from '@jest/globals';
import { IsIn, IsOptional } from 'class-validator';
import { LimitQuery, LimitQueryDto, parseLimit, parseOffset } from './limit';
import { validationPipe } from './validation';

describe('parseLimit', () => {
  it('takes whole numbers from 1 to 1000 and the fallback when absent', () => {
    expect([parseLimit('1', 10), parseLimit('1000', 10), parseLimit(20, 10), parseLimit(undefined, 10)]).toEqual([1, 1000, 20, 10]);
  });

  it.each([
    ['-1', 'got "-1"'],
    ['0', 'got "0"'],
    ['1001', 'got "1001"'],
    ['100000', 'got "100000"'],
    ['abc', 'got "abc"'],
    ['1.5', 'got "1.5"'],
    ['1e3', 'got "1e3"'],
    [' 5', 'got " 5"'],
    ['', 'got ""'],
    [['1', '2'], 'got ["1","2"]'],
    ['9'.repeat(100), `got "${'9'.repeat(39)}...`],
  ])('refuses %j with a clear 400', (raw, shown) => {
    expect(() => parseLimit(raw, 10)).toThrow(`limit must be an integer from 1 to 1000, ${shown}`);
  });
});

class AlertsQuery extends LimitQuery(20) {
  @IsOptional()
  @IsIn(['warning', 'critical'])
  severity?: string;
}

describe('limit query DTOs through the global validation pipe', () => {
  const pipe = validationPipe();
  const query = (metatype: new () => object, value: object) => pipe.transform(value, { type: 'query', metatype });

  it('default to their limit and convert the string', async () => {
    expect(await query(LimitQueryDto, {})).toEqual({ limit: 50 });
    expect(await query(LimitQueryDto, { limit: '7' })).toEqual({ limit: 7 });
    expect(await query(AlertsQuery, {})).toEqual({ limit: 20 });
    expect(await query(AlertsQuery, { limit: '3', severity: 'critical' })).toEqual({ limit: 3, severity: 'critical' });
  });

  it('refuse a bad limit, a bad extra field and an undeclared parameter', async () => {
    await expect(query(LimitQueryDto, { limit: 'abc' })).rejects.toThrow('limit must be an integer from 1 to 1000, got "abc"');
    await expect(query(AlertsQuery, { severity: 'panic' })).rejects.toMatchObject({ response: { message: ['severity must be one of the following values: warning, critical'] } });
    await expect(query(LimitQueryDto, { limit: '5', evil: '1' })).rejects.toMatchObject({ response: { message: ['property evil should not exist'] } });
  });
});

describe('bodies through the global validation pipe', () => {
  const pipe = validationPipe();

  it('refuse a body that is not a JSON object where a DTO is expected', async () => {
    for (const value of [[1, 2], 'text', 7]) {
      await expect(pipe.transform(value, { type: 'body', metatype: AlertsQuery })).rejects.toThrow('Request body must be a JSON object');
    }
    // A single field (`@Body('query')`) or an untyped body is the handler's to check.
    expect(await pipe.transform([1], { type: 'body', metatype: Object })).toEqual([1]);
    expect(await pipe.transform('text', { type: 'body', metatype: String, data: 'query' })).toBe('text');
  });
});

describe('parseOffset', () => {
  it('takes whole numbers from 0 and 0 when absent; anything else is a 400 naming it', () => {
    expect([parseOffset(undefined), parseOffset('0'), parseOffset('40'), parseOffset(7)]).toEqual([0, 0, 40, 7]);
    for (const bad of ['-1', 'abc', '1.5', '', ['1', '2'], '1234567']) expect(() => parseOffset(bad)).toThrow(/^offset must be an integer from 0 to 999999, got /);
  });
});
