/** How deep a request body may nest (objects and arrays): far beyond any DTO here, far below a stack overflow. */
export const MAX_BODY_DEPTH = 32;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// A NUL (PostgreSQL refuses it in text) or a UTF-16 surrogate without its pair (not encodable as UTF-8).
const BAD_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What is wrong with a parsed request value that no DTO should ever see, or null: nesting deeper than
 * `maxDepth`, a NUL or lone surrogate in any string (keys included), a key that names an object's prototype.
 * Walks with its own stack, so a hostile depth cannot overflow the call stack here either.
 */
export function hostileInputProblem(value: unknown, where: string, maxDepth = MAX_BODY_DEPTH): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: where, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (BAD_CHARACTER.test(current)) return `${path} contains a NUL character or an unpaired surrogate`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return `${where} is nested more than ${maxDepth} levels deep`;
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return `${where} must not contain the key "${key}"`;
      if (BAD_CHARACTER.test(key)) return `${where} has a key with a NUL character or an unpaired surrogate`;
      stack.push({ value: (current as Record<string, unknown>)[key], path: Array.isArray(current) ? `${path}[${key}]` : `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}
