import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, Max, Min, registerDecorator, ValidateIf, ValidationArguments, validateSync } from 'class-validator';
import { InvalidSettingError } from '../common/invalid-setting.error';

/**
 * The pieces of a settings schema: a class whose properties are the variables, with their defaults and these
 * decorators, checked by `validateSettings`. The library's own schema is `RegionalDatabaseSettings`; an
 * application extends it (or writes its own) with the same decorators.
 */

/** Names of the settings never echoed in an error (filled by `@Secret()` as schema classes are defined). */
const SECRETS = new Set<string>();
const number = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);

/** Every variable a schema knows, in declaration order (a subclass's after its base's). */
export function settingNames<T extends object>(schema: new () => T): (keyof T & string)[] {
  return Object.keys(new schema()) as (keyof T & string)[];
}

/**
 * `raw` (an environment, or values written in code) checked against `schema`: typed values and defaults, or an
 * `InvalidSettingError` naming the first bad variable (and listing the others) in one line. Names the schema
 * does not know are ignored; blank strings count as unset. Secrets are never echoed.
 */
export function validateSettings<T extends object>(schema: new () => T, raw: Record<string, unknown>): T {
  const given: Record<string, unknown> = {};
  for (const name of settingNames(schema)) {
    const value = raw[name];
    if (typeof value === 'string' && value.trim() !== '') given[name] = value.trim();
    else if (typeof value === 'number' || typeof value === 'boolean') given[name] = value;
  }
  const settings = plainToInstance(schema, given, { exposeDefaultValues: true });
  const errors = validateSync(settings, { stopAtFirstError: true, forbidUnknownValues: true });
  if (errors.length === 0) return settings;
  const [first, ...others] = errors;
  const problem = Object.values(first.constraints ?? {})[0] ?? 'is not valid';
  const echo = SECRETS.has(first.property) || given[first.property] === undefined ? '' : `, got ${JSON.stringify(given[first.property])}`;
  const more = others.length ? ` (also invalid: ${others.map((e) => e.property).join(', ')})` : '';
  throw new InvalidSettingError(first.property, `${problem}${echo}${more}`);
}

/** A credential: its value never appears in an error. */
export function Secret(): PropertyDecorator {
  return (_target, property) => void SECRETS.add(String(property));
}

export function Int(min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const message = `must be a whole number ${range}`;
  return applyDecorators(Transform(number), IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

export function Fraction(): PropertyDecorator {
  const message = 'must be a fraction in (0, 1] such as 0.05';
  return applyDecorators(Transform(number), IsNumber({}, { message }), Min(Number.MIN_VALUE, { message }), Max(1, { message }));
}

export function Bool(): PropertyDecorator {
  const words: Record<string, boolean> = { '1': true, true: true, yes: true, on: true, '0': false, false: false, no: false, off: false };
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && value.toLowerCase() in words ? words[value.toLowerCase()] : value)),
    IsBoolean({ message: 'must be true or false' }),
  );
}

/** Optional, unless `other` is set. */
export function RequiredWith(other: string, what?: string): PropertyDecorator {
  return applyDecorators(
    ValidateIf((object: Record<string, unknown>, value: unknown) => value !== undefined || object[other] !== undefined),
    settingConstraint('requiredWith', (value) => (value === undefined ? `is required with ${other}${what ? ` (${what})` : ''}` : null)),
  );
}

/** A class-validator constraint whose check returns the problem (or null), so the message says exactly what is wrong. */
export function settingConstraint(name: string, problem: (value: unknown, object: Record<string, unknown>) => string | null): PropertyDecorator {
  return (target, property) => {
    const found = new WeakMap<object, string>();
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const message = problem(value, args.object as Record<string, unknown>);
          if (message !== null) found.set(args.object, message);
          return message === null;
        },
        defaultMessage: (args?: ValidationArguments) => (args && found.get(args.object)) ?? 'is not valid',
      },
    });
  };
}
