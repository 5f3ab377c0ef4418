/**
 * The query of a route that takes no parameters: `@Query() _query: NoQuery`. The global validation pipe then
 * refuses any parameter (`property verbose should not exist`) instead of ignoring it, as on routes with a query DTO.
 */
export class NoQuery {}
