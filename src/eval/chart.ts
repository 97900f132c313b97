/**
 * Hand-written SVG charts of the evaluation and benchmark results (no dependency): horizontal bar
 * panels, each bar labelled with its value. Pure functions from result objects to SVG text.
 */

export interface Bar {
  label: string;
  value: number | null;
  /** How the value is printed at the bar's end. */
  text?: string;
  /** The project's own figure: drawn in the accent colour. */
  ours?: boolean;
}

export interface Panel {
  title: string;
  subtitle?: string;
  bars: Bar[];
  /** Scale maximum (default: the largest value). */
  max?: number;
}

const WIDTH = 760;
const LABEL_W = 190;
const VALUE_W = 90;
const BAR_H = 18;
const GAP = 6;
const PANEL_GAP = 26;
const OURS = "#1f77b4";
const OTHER = "#b0b7c3";

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function renderPanels(title: string, panels: Panel[], footer?: string): string {
  const parts: string[] = [];
  let y = 34;
  parts.push(`<text x="16" y="24" font-size="17" font-weight="bold">${esc(title)}</text>`);
  const plotW = WIDTH - LABEL_W - VALUE_W - 32;
  for (const p of panels) {
    y += 14;
    const sub = p.subtitle ? `<tspan dx="8" font-size="12" font-weight="normal" fill="#555">${esc(p.subtitle)}</tspan>` : "";
    parts.push(`<text x="16" y="${y}" font-size="14" font-weight="bold">${esc(p.title)}${sub}</text>`);
    y += 10;
    const max = p.max ?? Math.max(1e-9, ...p.bars.map((b) => b.value ?? 0));
    for (const b of p.bars) {
      const w = b.value === null ? 0 : Math.max(1, (Math.min(b.value, max) / max) * plotW);
      parts.push(`<text x="${LABEL_W + 8}" y="${y + BAR_H - 5}" font-size="12" text-anchor="end"${b.ours ? ' font-weight="bold"' : ""}>${esc(b.label)}</text>`);
      parts.push(`<rect x="${LABEL_W + 16}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${b.ours ? OURS : OTHER}" rx="2"/>`);
      const text = b.value === null ? "n/a" : (b.text ?? String(b.value));
      parts.push(`<text x="${(LABEL_W + 16 + w + 6).toFixed(1)}" y="${y + BAR_H - 5}" font-size="12">${esc(text)}</text>`);
      y += BAR_H + GAP;
    }
    y += PANEL_GAP - GAP;
  }
  if (footer) {
    for (const line of footer.split("\n")) {
      parts.push(`<text x="16" y="${y}" font-size="11" fill="#555">${esc(line)}</text>`);
      y += 15;
    }
  }
  const height = y + 6;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    `</svg>`,
    "",
  ].join("\n");
}

type Rate = number | null;
export interface EvalJson {
  methods: Record<string, { "hits@1": Rate; "hits@4": Rate; "hits@10": Rate; "mrr@10": Rate; answerInQuote: Rate; verbatim: Rate; abstain: { precision: Rate; recall: Rate; answeredRate: Rate; balancedAccuracy: Rate } }>;
  project: string;
  questions: number;
  articles: number;
  seconds: number;
}

const pctText = (x: Rate) => (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);

/** One panel per metric, one bar per method; one block per evaluated dataset. */
export function evalChart(runs: { label: string; result: EvalJson }[]): string {
  const panels: Panel[] = [];
  for (const { label, result } of runs) {
    const names = Object.keys(result.methods);
    const metric = (title: string, get: (m: EvalJson["methods"][string]) => Rate) => {
      const bars = names.map((n) => ({ label: n === result.project ? `${n} (ours)` : n, value: get(result.methods[n]!), ours: n === result.project }));
      if (bars.every((b) => b.value === null)) return;
      panels.push({
        title: `${label}: ${title}`,
        subtitle: `${result.questions} questions`,
        max: 1,
        bars: bars.map((b) => ({ ...b, text: pctText(b.value) })),
      });
    };
    metric("Hits@1", (m) => m["hits@1"]);
    metric("Hits@10", (m) => m["hits@10"]);
    metric("MRR@10", (m) => m["mrr@10"]);
    metric("answer in quote", (m) => m.answerInQuote);
    metric("abstention balanced accuracy", (m) => m.abstain.balancedAccuracy);
  }
  return renderPanels("Answer quality: the project vs baselines (higher is better)", panels, "Produced by npm run eval -- --json and scripts/chart.ts. langchain = RecursiveCharacterTextSplitter + HNSWLib, same embeddings.");
}

export interface BenchJson {
  /** longestStallMs: the longest event-loop stall during any of the bench's ingests (absent in older results). */
  ingest: { wordsPerSec: number; floorWordsPerSec: number; langchainWordsPerSec: number; reingestSpeedup: number; longestStallMs?: number };
  ask: { p50Ms: number; p95Ms: number; p99Ms: number; embedP50Ms: number; embedP95Ms: number };
  scale: { p95At1x: number; p95At4x: number };
  coldStartMs: number;
  rssMB: number;
  floorMB: number;
}

export function benchChart(r: BenchJson, note?: string): string {
  const n = (x: number, unit: string, digits = 0) => `${x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
  const panels: Panel[] = [
    {
      title: "Ingest throughput",
      subtitle: "words/s, higher is better",
      bars: [
        { label: "project (cold ingest)", value: r.ingest.wordsPerSec, text: n(r.ingest.wordsPerSec, "words/s"), ours: true },
        { label: "floor: model x cores", value: r.ingest.floorWordsPerSec, text: n(r.ingest.floorWordsPerSec, "words/s") },
        { label: "stock LangChain", value: r.ingest.langchainWordsPerSec, text: n(r.ingest.langchainWordsPerSec, "words/s") },
      ],
    },
    {
      title: "answer() latency",
      subtitle: "ms, lower is better",
      bars: [
        { label: "answer() p50", value: r.ask.p50Ms, text: n(r.ask.p50Ms, "ms", 1), ours: true },
        { label: "answer() p95", value: r.ask.p95Ms, text: n(r.ask.p95Ms, "ms", 1), ours: true },
        { label: "answer() p99", value: r.ask.p99Ms, text: n(r.ask.p99Ms, "ms", 1), ours: true },
        { label: "embed question p50", value: r.ask.embedP50Ms, text: n(r.ask.embedP50Ms, "ms", 1) },
        { label: "embed question p95", value: r.ask.embedP95Ms, text: n(r.ask.embedP95Ms, "ms", 1) },
      ],
    },
    {
      title: "Scale",
      subtitle: "answer() p95, ms, lower is better",
      bars: [
        { label: "1x corpus", value: r.scale.p95At1x, text: n(r.scale.p95At1x, "ms", 1) },
        { label: "4x corpus", value: r.scale.p95At4x, text: n(r.scale.p95At4x, "ms", 1), ours: true },
      ],
    },
    {
      title: "Memory",
      subtitle: "peak RSS, MB, lower is better",
      bars: [
        { label: "project (serving)", value: r.rssMB, text: n(r.rssMB, "MB"), ours: true },
        { label: "floor: model + vectors", value: r.floorMB, text: n(r.floorMB, "MB") },
      ],
    },
  ];
  const footer = [`Re-ingest of the unchanged corpus: ${r.ingest.reingestSpeedup}x faster than the cold ingest. Cold start to first answer: ${n(r.coldStartMs, "ms")}.`, note ?? "Produced by npm run bench -- --json and scripts/chart.ts."].join("\n");
  return renderPanels("Performance: the project vs same-run floors and baselines", panels, footer);
}
