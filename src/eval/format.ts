/** Plain-text tables and number formats for the evaluation and benchmark reports. */
import { progressReporter } from "../common/progress.ts";

export function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}

/** A 0..1 rate as a percentage with one decimal; "n/a" for null. */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || Number.isNaN(x) ? "n/a" : (x * 100).toFixed(1);
}

export function num(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "n/a";
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Progress over a counted loop (questions), drawn like the ingest progress. */
export function countProgress(label: string, total: number, unit = "questions"): { tick: (done: number) => void; done: () => void } {
  const started = Date.now();
  const reporter = progressReporter(label, unit);
  return {
    tick: (done) => reporter.update({ done, total, words: 0, elapsedMs: Date.now() - started }),
    done: reporter.done,
  };
}
