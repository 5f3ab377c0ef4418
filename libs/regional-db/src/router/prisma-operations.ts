/** Prisma operations that only read. Anything else (including operations added later) goes to the primary. */
const READ_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  '$queryRaw',
  '$queryRawUnsafe',
  '$queryRawTyped',
]);

export function isReadOperation(operation: string): boolean {
  return READ_OPERATIONS.has(operation);
}
