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
