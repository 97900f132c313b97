import type Database from "better-sqlite3";

/**
 * The SQL behind `doctor`, `reindex` and `compact`: consistency checks over the store's own
 * tables, the sentence texts to re-embed, and dropping cached vectors no article uses. Kept apart
 * from `Store` (which serves ingest and answers) so that the everyday door stays small, and inside
 * `store/` so that every SQL statement lives in one folder.
 */
export class StoreMaintenance {
  constructor(private readonly db: Database.Database) {}

  /** SQLite's own page-level check: "ok", or what it found. */
  integrity(): string {
    return String(this.db.pragma("quick_check", { simple: true }));
  }

  /** Paragraph or sentence rows whose article (or paragraph) is gone. */
  danglingRows(): number {
    return (this.db.pragma("foreign_key_check") as unknown[]).length;
  }

  /** Articles whose recorded paragraph count differs from the paragraphs stored. */
  miscountedArticles(): string[] {
    return this.db.prepare("SELECT id FROM articles a WHERE paragraph_count != (SELECT count(*) FROM paragraphs p WHERE p.article_id = a.id)").pluck().all() as string[];
  }

  /** Articles with a paragraph that has no sentence records. */
  unsplitArticles(): string[] {
    return this.db
      .prepare("SELECT DISTINCT p.article_id FROM paragraphs p WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.paragraph_id = p.id)")
      .pluck()
      .all() as string[];
  }

  /** Sentence records whose offsets fall outside their paragraph's text. */
  sentencesOutOfBounds(): number {
    return this.db
      .prepare("SELECT count(*) FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id WHERE s.start < 0 OR s.end <= s.start OR s.end > length(p.text)")
      .pluck()
      .get() as number;
  }

  /** Stored sentences with no cached vector of `model`. */
  unvectoredSentences(model: string): number {
    return this.db.prepare("SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.hash = s.hash)").pluck().get(model) as number;
  }

  /** Every distinct stored sentence with its text, for re-embedding with another model. */
  sentenceTexts(): { hash: string; text: string }[] {
    return this.db
      .prepare("SELECT DISTINCT s.hash AS hash, substr(p.text, s.start + 1, s.end - s.start) AS text FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id")
      .all() as { hash: string; text: string }[];
  }

  /** Cached vectors no stored sentence uses, or made by another model than `model`. */
  unusedVectors(model: string): { count: number; bytes: number } {
    return this.db
      .prepare("SELECT count(*) AS count, coalesce(sum(length(vector)), 0) AS bytes FROM embeddings WHERE model != ? OR hash NOT IN (SELECT hash FROM sentences)")
      .get(model) as { count: number; bytes: number };
  }

  /**
   * Drops the cached vectors no stored article uses, then rewrites the file (VACUUM) so that the
   * space goes back to the disk. VACUUM needs free space about the size of the store.
   */
  dropUnusedVectors(model: string): { otherModel: number; unused: number } {
    const dropped = this.db.transaction(() => {
      const otherModel = this.db.prepare("DELETE FROM embeddings WHERE model != ?").run(model).changes;
      // NOT IN: SQLite builds the set of used hashes once (sentences has no index on hash).
      const unused = this.db.prepare("DELETE FROM embeddings WHERE hash NOT IN (SELECT hash FROM sentences)").run().changes;
      return { otherModel, unused };
    })();
    this.db.exec("VACUUM");
    this.db.pragma("wal_checkpoint(TRUNCATE)");
    return dropped;
  }
}
