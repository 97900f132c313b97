import { config as loadDotenv } from "dotenv";
import { ConfigError } from "../config.ts";
import { QuestionError } from "../library.ts";
import { StoreError } from "../library.ts";

/** `.env` is read once, by the entry points; modules below read the environment they are given. */
export function loadEnv(): void {
  loadDotenv({ quiet: true });
}

/** Notes for the person at the terminal, on stderr (stdout carries results, --json included). */
export const stderrSay = {
  info: (message: string) => process.stderr.write(`${message}\n`),
  warn: (message: string) => process.stderr.write(`${message}\n`),
};

/** Errors people can fix get their message alone; anything else also gets a hint to report it. */
export function exitWithError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StoreError || error instanceof QuestionError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Unexpected error: ${message}\nRun with DEBUG=1 for details, and please report it.\n`);
  if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

/** Runs a CLI's main function with the shared error handling. */
export function run(main: () => Promise<void>): void {
  main().catch(exitWithError);
}
