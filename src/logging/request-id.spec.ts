import { describe, expect, it } from '@jest/globals';
import { requestIdFor } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it.each(['4f2a9c0e1b7d4e8f9a0b1c2d3e4f5a6b', 'edge-1', 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'lb:7.3_x'])('keeps %s', (id) => {
    expect(requestIdFor(id)).toBe(id);
  });

  it('takes the first of repeated headers', () => {
    expect(requestIdFor(['first', 'second'])).toBe('first');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['spaces', 'a b'],
    ['markup', '<script>'],
    ['too long', 'x'.repeat(129)],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig'],
  ])('replaces %s with a fresh UUID', (_, header) => {
    expect(requestIdFor(header)).toMatch(UUID);
  });
});
