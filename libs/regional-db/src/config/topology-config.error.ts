/** A topology that cannot be used: the message names the variable or key and what is wrong with it. */
export class TopologyConfigError extends Error {
  constructor(
    readonly source: string,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`Invalid database topology (${source}): ${key}: ${problem}`);
    this.name = 'TopologyConfigError';
  }
}
