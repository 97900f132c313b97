import { describeRange, whoseWords, type Answer, type Citation, type Quote } from "../library.ts";
import type { IngestSummary } from "../library-types.ts";
import { plural } from "../common/text.ts";

/** The terminal face of an `Answer`: quotes with their numbers, then the sources. */
export function renderAnswer(a: Answer, receiptId?: string): string {
  const lines: string[] = [];
  if (a.status === "answered") {
    for (const q of a.quotes) lines.push(`  “${q.text}” [${q.citation}]`, ...speakerLine(a, q), "");
    lines.push("Sources:");
    for (const c of a.citations) lines.push(`  [${c.n}] ${describe(c)}`);
    lines.push(`(${asOf(a)}confidence ${a.confidence.toFixed(2)})`);
  } else if (a.status === "closest") {
    // Marked on every quote, not only in a heading: a quote copied on its own keeps the warning.
    lines.push("Closest coverage — this may not answer your question:", "");
    for (const q of a.quotes) lines.push(`  ? “${q.text}” [${q.citation}]`, ...speakerLine(a, q), "");
    lines.push("Sources:");
    for (const c of a.citations) lines.push(`  [${c.n}] ${describe(c)}`);
    lines.push(`(${asOf(a)}confidence ${a.confidence.toFixed(2)}, below the answer threshold) ${searchedLine(a)}`);
  } else {
    lines.push(`I could not find an answer to that in the coverage (confidence ${a.confidence.toFixed(2)}).`);
    lines.push(searchedLine(a));
    if (a.citations.length > 0) {
      lines.push("Closest coverage (not an answer):");
      for (const c of a.citations) lines.push(`  - ${describe(c)}`);
    }
  }
  if (receiptId) lines.push(`Receipt ${receiptId} (npm run receipt -- ${receiptId})`);
  return lines.join("\n");
}

/** "    — attributed to Dmitry Peskov, as reported by V7N" under the quote. */
function speakerLine(a: Answer, q: Quote): string[] {
  const line = whoseWords(q, a.citations[q.citation - 1]);
  return line ? [`    — ${line}`] : [];
}

/** "Searched 1 article (11 paragraphs) for: zelensky (as zelenskiy), saying; from earlier: witkoff." */
function searchedLine(a: Answer): string {
  const s = a.searched;
  const scope = s.articleFilter ? `article ${s.articleFilter}` : `${plural(s.articles, "article")}${describeRange(a.searched.published)}`;
  const words = s.terms.map((t) => {
    const fix = s.corrected.find((c) => c.from === t);
    return fix ? `${t} (as ${fix.to})` : t;
  });
  const earlier = s.fromContext.length > 0 ? `; from earlier: ${s.fromContext.join(", ")}` : "";
  return `Searched ${scope} (${s.paragraphs} paragraphs)${words.length ? ` for: ${words.join(", ")}` : ""}${earlier}.`;
}

/** "as of 2025-12-04, ": the newest day of the quoted articles. */
function asOf(a: Answer): string {
  return a.asOf ? `as of ${a.asOf}, ` : "";
}

export function describe(c: Citation): string {
  const meta = [c.outlet, c.published ?? "undated"].filter(Boolean).join(", ");
  const copies = c.alsoIn?.length ? `\n      also ran in: ${c.alsoIn.map((x) => `${x.title} (${x.published ?? "undated"})`).join("; ")}` : "";
  return `${c.title}${meta ? ` (${meta})` : ""}, paragraph ${c.paragraph}${c.link ? `\n      ${c.link}` : ""}${c.verify ? `\n      verify: ${c.verify}` : ""}${copies}`;
}

export function renderIngestSummary(s: IngestSummary): string {
  const lines = [
    `Added ${s.added.length}, replaced ${s.replaced.length}, unchanged ${s.unchanged.length}, failed ${s.failed.length}` +
      ` (${s.words} words in ${(s.ms / 1000).toFixed(1)} s; ${s.embeddedSentences} sentences embedded, ${s.cachedSentences} from cache).`,
  ];
  for (const w of s.warnings) lines.push(`  NOTE: ${w}`);
  for (const r of s.replacements) lines.push(`  Replaced: ${r.replaced.title} -> ${r.title}${r.revision === null ? "" : ` (undo: npm run restore -- ${r.revision})`}`);
  for (const k of s.keptBeside) lines.push(`  Added beside "${k.existing.title}" (a file of the same name, but too different to be a new version of it): ${k.title}`);
  for (const f of s.failed) lines.push(`  FAILED ${f.where}: ${f.reason}`);
  return lines.join("\n");
}
