import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Verdict } from "../check/types.ts";
import { DatasetError } from "./datasets.ts";

/**
 * The claim set (test/fixtures/claims/claims.jsonl): one claim per line,
 * `{ "id", "claim", "verdict", "articles": [ids the claim is about], "kind"? }`, and the scores of
 * a run over it: precision and recall per verdict and the confusion matrix.
 */
export const VERDICTS: readonly Verdict[] = ["supported", "partly", "contradicted", "not_covered"];

export interface DatasetClaim {
  id: string;
  claim: string;
  verdict: Verdict;
  articles: string[];
  /** How it was made ("paraphrase", "number", "negation", "added detail", "near-miss"...). */
  kind: string | null;
  where: string;
}

const claimSchema = z.object({
  id: z.string().trim().min(1),
  claim: z.string().trim().min(1),
  verdict: z.enum(VERDICTS as [Verdict, ...Verdict[]]),
  articles: z.array(z.string().min(1)),
  kind: z.string().nullish(),
});

export function loadClaims(file: string): DatasetClaim[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new DatasetError(`Claims: cannot read ${file}: ${(error as Error).message}`);
  }
  const out: DatasetClaim[] = [];
  const problems: string[] = [];
  const ids = new Set<string>();
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`${where}: not JSON`);
      return;
    }
    const r = claimSchema.safeParse(parsed);
    if (!r.success) {
      problems.push(`${where}: ${r.error.issues.map((x) => `${x.path.join(".") || "record"} ${x.message}`).join("; ")}`);
      return;
    }
    if (ids.has(r.data.id)) problems.push(`${where}: repeats id "${r.data.id}"`);
    ids.add(r.data.id);
    if ((r.data.verdict === "not_covered") !== (r.data.articles.length === 0)) problems.push(`${where}: a not_covered claim names no article, and every other claim names the articles it is about`);
    out.push({ ...r.data, kind: r.data.kind ?? null, where });
  });
  if (problems.length > 0) throw new DatasetError(`Claims: ${problems.length} problem(s):\n${problems.slice(0, 10).map((p) => `  ${p}`).join("\n")}`);
  return out;
}

export interface VerdictScores {
  /** confusion[expected][got] */
  confusion: Record<Verdict, Record<Verdict, number>>;
  perVerdict: Record<Verdict, { precision: number | null; recall: number | null; expected: number; got: number }>;
  accuracy: number | null;
  claims: number;
}

export function scoreVerdicts(pairs: { expected: Verdict; got: Verdict }[]): VerdictScores {
  const row = () => Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const confusion = Object.fromEntries(VERDICTS.map((v) => [v, row()])) as Record<Verdict, Record<Verdict, number>>;
  for (const p of pairs) confusion[p.expected][p.got]++;
  const rate = (n: number, d: number) => (d > 0 ? n / d : null);
  const perVerdict = Object.fromEntries(
    VERDICTS.map((v) => {
      const expected = VERDICTS.reduce((n, g) => n + confusion[v][g], 0);
      const got = VERDICTS.reduce((n, e) => n + confusion[e][v], 0);
      return [v, { precision: rate(confusion[v][v], got), recall: rate(confusion[v][v], expected), expected, got }];
    }),
  ) as VerdictScores["perVerdict"];
  const right = VERDICTS.reduce((n, v) => n + confusion[v][v], 0);
  return { confusion, perVerdict, accuracy: rate(right, pairs.length), claims: pairs.length };
}
