import type { ClaimFact, Verdict } from "./types.ts";

/** How every face words a verdict: "not covered" must never read as "false". */
export const VERDICT_LABELS: Record<Verdict, string> = {
  supported: "Supported by the coverage",
  partly: "Partly supported: the coverage says some of it, not all",
  contradicted: "The coverage says otherwise",
  not_covered: "Not covered: the coverage does not address this (which does not make it false)",
};

/**
 * "30: the coverage says 28", "Tuesday: stated", "five: not stated". A face passes the claim's
 * and the coverage's words as it shows them (escaped, quoted).
 */
export function describeFact(f: ClaimFact, claimWords = f.text, coverageWords = f.coverageSays ?? ""): string {
  if (f.status === "differs") return `${claimWords}: the coverage says ${coverageWords}`;
  return `${claimWords}: ${f.status === "stated" ? "stated" : "not stated"}`;
}
