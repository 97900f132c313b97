import { InvalidArgumentError } from "commander";

/** Option parsers shared by the CLIs and the measurement scripts: a wrong value is a usage error that names the range. */

/** A whole-number option parser (at least `min`, at most `max`), for `.option("--limit <n>", ..., wholeNumber(1))`. */
export function wholeNumber(min: number, max = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}, not "${value}".`);
    }
    return n;
  };
}

/** A number option within [min, max]. */
export function numberWithin(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`must be a number from ${min} to ${max}, not "${value}".`);
    return n;
  };
}

/** A repeatable option's parser: each use adds one value. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
