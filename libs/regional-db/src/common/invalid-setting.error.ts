/** A setting that cannot be used: start-up stops with one line naming the variable and what is wrong with it. */
export class InvalidSettingError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid setting ${variable}: ${problem}`);
    this.name = 'InvalidSettingError';
  }
}
