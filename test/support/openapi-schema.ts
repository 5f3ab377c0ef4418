// Checks a JSON value against an OpenAPI 3.0 schema, as far as this API's schemas go: $ref, allOf, oneOf,
// nullable, type, enum, format date-time, properties with required, additionalProperties and items.

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  type?: string;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
};

export function schemaProblems(value: unknown, schema: Schema, document: object, at = '$'): string[] {
  if (value === null && schema.nullable) return [];
  if (schema.$ref) return schemaProblems(value, resolve(document, schema.$ref), document, at);
  if (schema.allOf) return schema.allOf.flatMap((s) => schemaProblems(value, s, document, at));
  if (value === null) return [`${at}: null where ${schema.type ?? 'a value'} is documented`];
  if (schema.oneOf) {
    return schema.oneOf.some((s) => schemaProblems(value, s, document, at).length === 0) ? [] : [`${at}: ${JSON.stringify(value)} matches none of oneOf`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case undefined:
      return [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not an integer`];
    case 'number':
    case 'boolean':
      return typeof value === schema.type ? [] : [`${at}: ${JSON.stringify(value)} is not a ${schema.type}`];
    case 'string':
      if (typeof value !== 'string') return [`${at}: ${JSON.stringify(value)} is not a string`];
      return schema.format === 'date-time' && Number.isNaN(Date.parse(value)) ? [`${at}: ${value} is not a date-time`] : [];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return schema.items ? value.flatMap((item, i) => schemaProblems(item, schema.items!, document, `${at}[${i}]`)) : [];
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      const problems = (schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name}: missing`);
      for (const [name, item] of Object.entries(record)) {
        const property = schema.properties?.[name];
        if (property) problems.push(...schemaProblems(item, property, document, `${at}.${name}`));
        else if (typeof schema.additionalProperties === 'object') problems.push(...schemaProblems(item, schema.additionalProperties, document, `${at}.${name}`));
        else if (schema.properties && schema.additionalProperties === undefined) problems.push(`${at}.${name}: not documented`);
      }
      return problems;
    }
    default:
      return [`${at}: unknown type ${schema.type}`];
  }
}

function resolve(document: object, ref: string): Schema {
  const found = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  if (!found) throw new Error(`${ref} does not resolve`);
  return found as Schema;
}
