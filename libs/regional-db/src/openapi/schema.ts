import type { ApiResponseSchemaHost } from '@nestjs/swagger';

export type SchemaObject = ApiResponseSchemaHost['schema'];

// A few words for the response schemas of the admin API, which return plain objects (no DTO classes): each
// object lists every property it always has as required, so a generated client gets exact types.

export const str: SchemaObject = { type: 'string' };
export const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
export const num: SchemaObject = { type: 'number' };
export const int: SchemaObject = { type: 'integer' };
export const bool: SchemaObject = { type: 'boolean' };

export function nullable(schema: SchemaObject): SchemaObject {
  return { ...schema, nullable: true };
}

export function oneOf(...values: string[]): SchemaObject {
  return { type: 'string', enum: values };
}

export function arr(items: SchemaObject): SchemaObject {
  return { type: 'array', items };
}

/** An object keyed by something variable (endpoint ids, group names), every value `values`. */
export function map(values: SchemaObject): SchemaObject {
  return { type: 'object', additionalProperties: values };
}

/** Free-form details. */
export const anyObject: SchemaObject = { type: 'object', additionalProperties: true };

/** An object whose properties are all required, except those wrapped in `optional`. */
export function obj(properties: Record<string, SchemaObject | Optional>, description?: string): SchemaObject {
  const entries = Object.entries(properties);
  const required = entries.filter(([, s]) => !(s instanceof Optional)).map(([name]) => name);
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: Object.fromEntries(entries.map(([name, s]) => [name, s instanceof Optional ? s.schema : s])),
    ...(required.length ? { required } : {}),
  };
}

class Optional {
  constructor(readonly schema: SchemaObject) {}
}

/** A property that may be absent. */
export function optional(schema: SchemaObject): Optional {
  return new Optional(schema);
}
