/**
 * Scoring "whose words": hand labels of sentences (article id, 1-based paragraph and sentence
 * position, the expected speaker or null for the outlet's reporting) against what the attribution
 * rules say. The labels name sentences by position, never by text, so that an archive's words stay
 * in the archive.
 */
import { z } from "zod";
import { attributeArticle, cleanText, type Attribution } from "./core.ts";
import { DatasetError, Problems, schemaLines, type DatasetArticle } from "./datasets.ts";
import { splitOf } from "./split.ts";

export interface AttributionLabel {
  article: string;
  /** 1-based, as a reader counts. */
  paragraph: number;
  /** 1-based position among the paragraph's sentences, as the project splits them. */
  sentence: number;
  /** The fullest name the article gives, or the description of an unnamed source; null: the outlet's reporting. */
  speaker: string | null;
  /** "labels.jsonl:12" */
  where: string;
}

const labelSchema = z.object({
  article: z.string().min(1),
  paragraph: z.number().int().min(1),
  sentence: z.number().int().min(1),
  speaker: z.string().min(1).nullable(),
});

export function parseLabels(text: string, file: string): AttributionLabel[] {
  const problems = new Problems(`Attribution labels ${file}`);
  const out = schemaLines(text, file, labelSchema, problems).map(({ value, where }) => ({ ...value, where }));
  problems.throwIfAny();
  return out;
}

/** Speakers compare without case, punctuation or a leading article: "the Kremlin" is "Kremlin". */
export function sameSpeaker(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, " ")
      .replace(/^\s*(?:the|a|an)\s+/, "")
      .replace(/\s+/g, " ")
      .trim();
  return norm(a) === norm(b);
}

/**
 * right; missed (a source's words shown as the outlet's: the worst error); invented (the outlet's
 * words given to someone); wrong speaker.
 */
export type Verdict = "right" | "missed" | "invented" | "wrong speaker";

export function judge(expected: string | null, got: Attribution): Verdict {
  if (expected === null) return got.kind === "reporting" ? "right" : "invented";
  if (got.kind === "reporting") return "missed";
  return sameSpeaker(expected, got.speaker) ? "right" : "wrong speaker";
}

export interface LabelOutcome {
  label: AttributionLabel;
  half: "dev" | "test";
  got: Attribution;
  verdict: Verdict;
  /** The sentence, for the error listing on the terminal (never stored). */
  text: string;
}

/**
 * Attributes every labelled article as answer() would (paragraphs cleaned as ingest stores them)
 * and judges each label. The half is fixed by the article id, so one article's names never help
 * tune the other half.
 */
export function scoreLabels(labels: readonly AttributionLabel[], articles: readonly DatasetArticle[]): LabelOutcome[] {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const attributed = new Map<string, ReturnType<typeof attributeArticle>>();
  const problems: string[] = [];
  const out: LabelOutcome[] = [];
  for (const label of labels) {
    const article = byId.get(label.article);
    if (!article) {
      problems.push(`${label.where}: article "${label.article}" is not in the articles given`);
      continue;
    }
    const paragraphs = article.paragraphs.map(cleanText);
    if (!attributed.has(article.id)) attributed.set(article.id, attributeArticle(paragraphs));
    const sentence = attributed.get(article.id)![label.paragraph - 1]?.[label.sentence - 1];
    if (!sentence) {
      problems.push(`${label.where}: ${label.article} has no sentence ${label.paragraph}.${label.sentence} (the sentence splitter changed?)`);
      continue;
    }
    const text = paragraphs[label.paragraph - 1]!.slice(sentence.start, sentence.end);
    out.push({ label, half: splitOf(label.article), got: sentence.attribution, verdict: judge(label.speaker, sentence.attribution), text });
  }
  if (problems.length > 0) throw new DatasetError(`Attribution labels do not match the articles:\n  ${problems.slice(0, 10).join("\n  ")}`);
  return out;
}

export interface AttributionSummary {
  sentences: number;
  /** Kind and speaker right. */
  accuracy: number;
  /** Reporting vs attributed right, whoever the speaker. */
  kindAccuracy: number;
  confusion: Record<Exclude<Verdict, "right">, number>;
}

export function summarise(outcomes: readonly LabelOutcome[]): AttributionSummary {
  const count = (v: Verdict) => outcomes.filter((o) => o.verdict === v).length;
  const n = outcomes.length;
  const rate = (k: number) => (n > 0 ? k / n : 0);
  return {
    sentences: n,
    accuracy: rate(count("right")),
    kindAccuracy: rate(count("right") + count("wrong speaker")),
    confusion: { missed: count("missed"), invented: count("invented"), "wrong speaker": count("wrong speaker") },
  };
}
