import type { Answer, Citation } from "../answer/types.ts";
import type { IngestSummary } from "../library-types.ts";

/** The terminal face of an `Answer`: quotes with their numbers, then the sources. */
export function renderAnswer(a: Answer, receiptId?: string): string {
  const lines: string[] = [];
  if (a.status === "answered") {
    for (const q of a.quotes) lines.push(`  “${q.text}” [${q.citation}]`, "");
    lines.push("Sources:");
    for (const c of a.citations) lines.push(`  [${c.n}] ${describe(c)}`);
    lines.push(`(confidence ${a.confidence.toFixed(2)})`);
  } else {
    const scope = a.searched.articleFilter ? `article ${a.searched.articleFilter}` : `${a.searched.articles} article${a.searched.articles === 1 ? "" : "s"}`;
    lines.push(`I could not find an answer to that in the coverage (confidence ${a.confidence.toFixed(2)}).`);
    lines.push(`Searched ${scope} (${a.searched.paragraphs} paragraphs)${a.searched.terms.length ? ` for: ${a.searched.terms.join(", ")}` : ""}.`);
    if (a.citations.length > 0) {
      lines.push("Closest coverage (not an answer):");
      for (const c of a.citations) lines.push(`  - ${describe(c)}`);
    }
  }
  if (receiptId) lines.push(`Receipt ${receiptId} (npm run receipt -- ${receiptId})`);
  return lines.join("\n");
}

function describe(c: Citation): string {
  const meta = [c.outlet, c.published].filter(Boolean).join(", ");
  return `${c.title}${meta ? ` (${meta})` : ""}, paragraph ${c.paragraph}${c.link ? `\n      ${c.link}` : ""}`;
}

export function renderIngestSummary(s: IngestSummary): string {
  const lines = [
    `Added ${s.added.length}, replaced ${s.replaced.length}, unchanged ${s.unchanged.length}, failed ${s.failed.length}` +
      ` (${s.words} words in ${(s.ms / 1000).toFixed(1)} s; ${s.embeddedSentences} sentences embedded, ${s.cachedSentences} from cache).`,
  ];
  for (const r of s.replacements) lines.push(`  Replaced: ${r.replaced.title} -> ${r.title}${r.revision === null ? "" : ` (undo: npm run restore -- ${r.revision})`}`);
  for (const k of s.keptBeside) lines.push(`  Added beside "${k.existing.title}" (a file of the same name, but too different to be a new version of it): ${k.title}`);
  for (const f of s.failed) lines.push(`  FAILED ${f.where}: ${f.reason}`);
  return lines.join("\n");
}
