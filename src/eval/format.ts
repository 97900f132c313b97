/** Plain-text tables and number formats for the evaluation and benchmark reports. */

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

/** A progress line for loops over questions (stderr): a bar on a terminal, a line every 5 s otherwise. */
export function countProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): { tick: (done: number) => void; done: () => void } {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    tick(done) {
      const now = Date.now();
      if (done < total && now - last < (tty ? 100 : 5000)) return;
      last = now;
      const s = (now - started) / 1000;
      const rate = s > 0 ? done / s : 0;
      const left = rate > 0 ? Math.ceil((total - done) / rate) : NaN;
      const line = `${label} ${done}/${total}  ${rate.toFixed(1)}/s${Number.isFinite(left) && done < total ? `  ${left}s left` : ""}`;
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else stream.write(`${line}\n`);
    },
    done() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
