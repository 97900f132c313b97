/** Work counted in items (articles, questions) and words, as a long task reports it. */
export interface Progress {
  done: number;
  total: number;
  words: number;
  elapsedMs: number;
}

/**
 * A one-line progress bar on stderr (count, rate, time left) when stderr is a terminal; a line
 * every few seconds otherwise, so logs of long runs still show that work goes on.
 */
export function progressReporter(label: string, unit = "articles", stream: NodeJS.WriteStream = process.stderr): { update: (p: Progress) => void; done: () => void } {
  const tty = stream.isTTY === true;
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (!tty && now - lastLine < 5000 && p.done < p.total) return;
      if (tty && now - lastLine < 100 && p.done < p.total) return;
      lastLine = now;
      const line = formatProgress(label, p, tty ? 24 : 0, unit);
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

export function formatProgress(label: string, p: Progress, barWidth: number, unit = "articles"): string {
  const share = p.total > 0 ? p.done / p.total : 1;
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const wordsRate = seconds > 0 ? p.words / seconds : 0;
  const left = rate > 0 ? (p.total - p.done) / rate : NaN;
  const bar = barWidth > 0 ? `[${"#".repeat(Math.round(share * barWidth)).padEnd(barWidth, ".")}] ` : "";
  const words = p.words > 0 ? `  ${Math.round(wordsRate)} words/s` : "";
  return `${label} ${bar}${p.done}/${p.total} ${unit}  ${rate.toFixed(1)}/s${words}  ${Number.isFinite(left) && p.done < p.total ? `${formatDuration(left)} left` : ""}`.trimEnd();
}

function formatDuration(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.ceil(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
