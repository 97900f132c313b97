import { describeFact, VERDICT_LABELS, type ClaimCheck } from "../library.ts";
import { describe } from "./render.ts";

/** The terminal face of a ClaimCheck: the verdict, fact by fact, then the evidence and its sources. */
export function renderClaimCheck(c: ClaimCheck): string {
  const lines = [`${VERDICT_LABELS[c.verdict]}.`];
  if (c.facts.length > 0) {
    lines.push("", "Facts:");
    for (const f of c.facts) lines.push(`  ${f.status === "stated" ? "✓" : f.status === "differs" ? "✗" : "?"} ${describeFact(f)}`);
  }
  if (c.quotes.length > 0) {
    lines.push("", "Evidence:");
    for (const q of c.quotes) lines.push(`  “${q.text}” [${q.citation}]`);
    lines.push("", "Sources:");
    for (const s of c.citations) lines.push(`  [${s.n}] ${describe(s)}`);
  } else if (c.citations.length > 0) {
    lines.push("", "Closest coverage (it does not address the claim):");
    for (const s of c.citations) lines.push(`  - ${describe(s)}`);
  }
  return lines.join("\n");
}
