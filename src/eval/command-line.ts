import { Command } from "commander";
import { config as loadDotenv } from "dotenv";

export { collect, numberWithin, wholeNumber } from "../common/options.ts";

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

/** A wrong input found after parsing (a setting the script cannot measure with): exit 2 with the message. */
export class UsageError extends Error {}
