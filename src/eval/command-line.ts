import { config as loadDotenv } from "dotenv";

/**
 * The shared start of the measurement scripts: parse the arguments (a usage error prints the
 * message and the help, exit 2), print the help for --help (null), and read `.env`.
 */
export function readCommandLine<T>(parse: (argv: string[]) => T | null, help: string): T | null {
  let args: T | null;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}\n`);
    process.exit(2);
  }
  if (!args) {
    process.stdout.write(`${help}\n`);
    return null;
  }
  loadDotenv({ quiet: true });
  return args;
}

/** A wrong argument: readCommandLine prints it with the help and exits 2. */
export class UsageError extends Error {}

/** An optional whole-number option, at least `min`; undefined when not given. */
export function wholeNumber(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number >= ${min}, not "${value}".`);
  return n;
}
