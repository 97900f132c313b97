import { randomBytes } from "node:crypto";
import { clip, oneLine } from "../common/text.ts";
import { LOG_LEVELS, type LogLevel } from "./config.ts";

/**
 * One line per event, for the people running the bot:
 *   2025-12-04T10:00:00.000Z INFO  ask by ana (123…): "What did Peskov…" -> answered 0.82 in 45 ms; cited [1] c-1a2b ¶9
 * or, with LOG_FORMAT=json, one JSON object per line for a log collector:
 *   {"time":"2025-12-04T10:00:00.000Z","level":"info","msg":"ask by ana (123…): …"}
 * Secrets never reach the sink: every line is scrubbed of the values given as `secrets`.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export type LogSink = (line: string) => void;

export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * Longest message in one line; the rest is cut with a note of how much. Docker's json-file driver
 * splits lines over 16 KiB into partial records that collectors show as separate events; 4,000
 * characters stay under that even at 4 bytes per character and with JSON escaping of most of them.
 */
export const MAX_MESSAGE_CHARS = 4000;

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: stderr, one write per line). */
  sink?: LogSink;
  /** Values that must never appear in a log line (the bot token). */
  secrets?: string[];
  now?: () => Date;
  /** `text` (default) or `json`. */
  format?: LogFormat;
  maxMessageChars?: number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? "info");
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const now = options.now ?? (() => new Date());
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);
  const json = options.format === "json";
  const max = options.maxMessageChars ?? MAX_MESSAGE_CHARS;
  const write = (level: LogLevel, message: string) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    // Scrubbed before it is cut: a secret cut in half at the bound would no longer match.
    const msg = bound(scrub(message), max);
    const time = now().toISOString();
    // One event, one line: newlines inside messages (stack traces aside) are flattened; in JSON
    // they are escaped, stack traces included.
    sink(json ? JSON.stringify({ time, level, msg }) : `${time} ${level.toUpperCase().padEnd(5)} ${msg}`);
  };
  return {
    debug: (m) => write("debug", m.replace(/\s*\n\s*/g, " | ")),
    info: (m) => write("info", m.replace(/\s*\n\s*/g, " | ")),
    warn: (m) => write("warn", m.replace(/\s*\n\s*/g, " | ")),
    error(m, error) {
      const detail = error instanceof Error ? `: ${error.name}: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
      write("error", `${m}${detail}`.replace(/\s*\n\s*/g, " | "));
      if (error instanceof Error && error.stack && min === 0) write("debug", error.stack);
    },
  };
}

function bound(message: string, max: number): string {
  if (message.length <= max) return message;
  // Not between the two halves of a surrogate pair (an emoji in a question, say).
  const cut = /[\uD800-\uDBFF]/.test(message[max - 1]!) ? max - 1 : max;
  return `${message.slice(0, cut)}… [${message.length - cut} more characters]`;
}

/** A short id that a person can read out and find in the log ("E-7K3Q9X"). */
export function errorId(): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  return `E-${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

/**
 * A question or title as it appears in a log line: quoted, one line, bounded, and with what is
 * plainly personal data (e-mail addresses, phone numbers) replaced, since members type both into
 * questions and logs outlive the conversation.
 */
export function quoteForLog(text: string, max = 120): string {
  return JSON.stringify(clip(redactPersonal(oneLine(text)), max));
}

export function redactPersonal(text: string): string {
  return text
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, "[email]")
    .replace(/(?<![\p{L}\p{N}])\+?\d[\d ().-]{6,}\d(?![\p{L}\p{N}])/gu, (m) => (m.replace(/\D/g, "").length >= 7 && !/^\d{4}-\d\d-\d\d$/.test(m) ? "[phone]" : m));
}
