import { describe, expect, it } from "vitest";
import { createLogger, MAX_MESSAGE_CHARS } from "../../src/discord/log.ts";

const at = () => new Date("2025-01-01T00:00:00Z");

describe("log lines", () => {
  it("with LOG_FORMAT=json, are one JSON object per line with time, level and message, errors and stacks included", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "debug", format: "json", sink: (l) => lines.push(l), now: at, secrets: ["s3cr3t.t0ken"] });
    log.info('ask by ana: "two\nlines"');
    log.warn("Ingesting: 12/300 articles");
    log.error("E-1 failed", new Error("token s3cr3t.t0ken rejected"));
    expect(lines.every((l) => !l.includes("\n"))).toBe(true);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.slice(0, 3)).toEqual([
      { time: "2025-01-01T00:00:00.000Z", level: "info", msg: 'ask by ana: "two | lines"' },
      { time: "2025-01-01T00:00:00.000Z", level: "warn", msg: "Ingesting: 12/300 articles" },
      { time: "2025-01-01T00:00:00.000Z", level: "error", msg: "E-1 failed: Error: token [redacted] rejected" },
    ]);
    // At debug level the stack follows, as one line too.
    expect(parsed[3]).toMatchObject({ level: "debug", msg: expect.stringContaining("Error: token [redacted] rejected\n    at ") });
  });

  it("are bounded in length, say how much was cut, and never leak a secret cut in half", () => {
    const lines: string[] = [];
    const secret = "s3cr3t.t0ken";
    const log = createLogger({ sink: (l) => lines.push(l), now: at, secrets: [secret] });
    const long = `${"x".repeat(MAX_MESSAGE_CHARS - 5)}${secret}${"y".repeat(10_000)}`;
    log.info(long);
    const line = lines[0]!;
    expect(line.length).toBeLessThan(MAX_MESSAGE_CHARS + 100);
    expect(line).toMatch(/… \[\d+ more characters\]$/);
    expect(line).not.toContain("s3cr3");
    // An emoji on the bound is kept whole or dropped, never split into half a surrogate pair.
    lines.length = 0;
    createLogger({ sink: (l) => lines.push(l), now: at, format: "json", maxMessageChars: 10 }).info(`${"a".repeat(9)}😀 and more`);
    expect((JSON.parse(lines[0]!) as { msg: string }).msg).toBe(`${"a".repeat(9)}… [11 more characters]`);
  });
});
