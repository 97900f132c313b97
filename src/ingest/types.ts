/** What an ingest reports: progress while it runs, and the summary every face renders. */
import type { InputError } from "../articles/types.ts";

export interface IngestProgress {
  /** Articles processed so far, and known in all (grows while files are read). */
  done: number;
  total: number;
  words: number;
  elapsedMs: number;
}

export interface IngestSummary {
  added: string[];
  /** What the moderator must know beyond each article: a partial result (the disk filled), indexes not saved. */
  warnings: string[];
  /** Title of each added or replaced article, by id: the summary names them without reading the store again. */
  titles: Record<string, string>;
  /** Where each added, replaced or unchanged article came from (its origin: file name, or name and line), by id. */
  origins: Record<string, string>;
  /** Ids of the articles that replaced others; `replacements` says what each replaced. */
  replaced: string[];
  unchanged: string[];
  failed: InputError[];
  /**
   * Every article removed by this ingest, old title -> new title. The old version stays
   * recoverable as `revision` (null when REVISION_RETENTION_DAYS is 0): `Library.restore`.
   */
  replacements: Replacement[];
  /** Added articles that came from the same file as a stored one but were too different to replace it: both are kept. */
  keptBeside: { id: string; title: string; existing: { id: string; title: string } }[];
  /** Sentences whose vectors came from the embedding cache rather than the model. */
  cachedSentences: number;
  embeddedSentences: number;
  words: number;
  ms: number;
}

export interface Replacement {
  /** The article that went in. */
  id: string;
  title: string;
  /** The article it took the place of (the same id when the source gave both the same id or URL). */
  replaced: { id: string; title: string };
  revision: number | null;
}

export interface RestoreResult {
  /** The article as it is again. */
  article: { id: string; title: string };
  /** What it took the place of, each kept as a revision in turn, so that a restore can be undone too. */
  replaced: { id: string; title: string; revision: number | null }[];
  /** The store already held exactly this version: nothing changed. */
  unchanged: boolean;
}
