import { Command, InvalidArgumentError } from "commander";
import { config as loadDotenv } from "dotenv";

/**
 * The measurement scripts' command lines, in commander like the CLIs: `--help` from the declared
 * options, a usage error printed with the help and exit code 2 (the CLIs' code for a wrong input).
 */
export function measurementCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .helpOption("-h, --help", "this text")
    .showHelpAfterError()
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
}

/** Parses `argv` (the process's by default) and reads `.env`, for a script to go on with its options. */
export function parseCommandLine<T>(program: Command, argv?: string[]): T {
  if (argv) program.parse(argv, { from: "user" });
  else program.parse();
  loadDotenv({ quiet: true });
  return program.opts() as T;
}

/** A whole-number option parser (at least `min`), for `.option("--limit <n>", ..., wholeNumber(1))`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number >= ${min}, not "${value}".`);
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

/** A wrong input found after parsing (a setting the script cannot measure with): exit 2 with the message. */
export class UsageError extends Error {}
