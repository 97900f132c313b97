import type { ClaimFact, Verdict } from "./types.ts";

/** How every face words a verdict: "not covered" must never read as "false". */
export const VERDICT_LABELS: Record<Verdict, string> = {
  supported: "Supported by the coverage",
  partly: "Partly supported: the coverage says some of it, not all",
  contradicted: "The coverage says otherwise",
  not_covered: "Not covered: the coverage does not address this (which does not make it false)",
};

/** "30 points: the coverage says 28 points", "Tuesday: stated", "five hours: not stated". */
export function describeFact(f: ClaimFact): string {
  if (f.status === "differs") return `${f.text}: the coverage says ${f.coverageSays}`;
  return `${f.text}: ${f.status === "stated" ? "stated" : "not stated"}`;
}
