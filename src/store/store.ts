import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Article, ArticleFormat, ArticleMeta } from "../articles/types.ts";
import type { ArticleSummary, StoredParagraph } from "./views.ts";
import { StoreError } from "./errors.ts";
import { StoreMaintenance } from "./maintenance.ts";
import { FeedStore } from "./feed-store.ts";
import { ReceiptStore } from "./receipt-store.ts";
import { backupBeforeMigration } from "./migration-backup.ts";
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from "./schema.ts";
import { describeStorageError } from "./storage-errors.ts";

export interface SentenceRow {
  start: number;
  end: number;
  hash: string;
}

/** An article with its paragraphs split into sentences, ready to be written in one transaction. */
export interface ArticleRecord {
  article: Article;
  sentences: SentenceRow[][];
}

export interface ParagraphRow {
  id: number;
  articleId: string;
  idx: number;
  text: string;
}

export interface ArticleRow extends ArticleMeta {
  contentHash: string;
  origin: string;
  ingestedAt: string;
  paragraphCount: number;
}

export interface StoredSentence {
  id: number;
  paragraphId: number;
  start: number;
  end: number;
  /** Hash of the sentence's text: equal in every copy of it. */
  hash: string;
  /** Normalised embedding; null only in a store whose vectors are missing (see `npm run doctor`). */
  vector: Float32Array | null;
}

export type RevisionReason = "replaced" | "forgotten" | "reverted";

/** An article removed in a write, why, and (for a replacement) the article that took its place. */
export interface Supersession {
  id: string;
  reason: RevisionReason;
  by: string | null;
}

export interface RevisionRow {
  id: number;
  articleId: string;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  ingestedAt: string;
  paragraphCount: number;
  reason: RevisionReason;
  supersededBy: string | null;
  supersededAt: string;
}

/** A revision in full: enough to put the article back exactly as it was. */
export interface RevisionRecord extends RevisionRow {
  author: string | null;
  dateline: string | null;
  format: ArticleFormat;
  contentHash: string;
  origin: string;
  paragraphs: string[];
}

const REVISION_COLUMNS = `id, article_id AS articleId, title, url, outlet, published, ingested_at AS ingestedAt, paragraph_count AS paragraphCount,
  reason, superseded_by AS supersededBy, superseded_at AS supersededAt`;

export { StoreError };

const ARTICLE_COLUMNS = `id, title, url, outlet, author, published, dateline, content_hash AS contentHash,
  origin, ingested_at AS ingestedAt, paragraph_count AS paragraphCount`;

const SUMMARY_COLUMNS = "id, title, outlet, published, url, paragraph_count AS paragraphs, ingested_at AS ingestedAt";
/** Written exactly as the articles_listing index is, so that SQLite walks the index instead of sorting. */
const LISTING_ORDER = "published IS NULL, published DESC, ingested_at DESC, title";

/** The SQLite database behind everything: articles, paragraphs, sentences, vectors, feedback. */
export class Store {
  /** The SQL of `doctor`, `reindex` and `compact`. */
  readonly maintenance: StoreMaintenance;
  /** Answer receipts and their ratings. */
  readonly receipts: ReceiptStore;
  /** Followed feeds and the items seen in them. */
  readonly feeds: FeedStore;

  private constructor(
    private readonly db: Database.Database,
    private readonly revisionDays: number | undefined,
  ) {
    this.maintenance = new StoreMaintenance(db);
    this.receipts = new ReceiptStore(db);
    this.feeds = new FeedStore(db);
  }

  /**
   * `revisionDays`: how long earlier versions are kept (0: none are). Without it nothing is pruned
   * and every earlier version is kept: tools that do not read the configuration never lose one.
   * `notice` hears what opening did beyond the ordinary (a schema upgrade and the copy before it).
   */
  static open(dataDir: string, options: { revisionDays?: number; notice?: (message: string) => void } = {}): Store {
    const file = path.join(dataDir, "store.db");
    let db: Database.Database | undefined;
    try {
      mkdirSync(dataDir, { recursive: true });
      db = new Database(file);
      db.pragma("journal_mode = WAL");
      db.pragma("foreign_keys = ON");
      db.pragma("busy_timeout = 10000");
      // WAL + NORMAL is durable against process crashes, which is what ingest must survive.
      db.pragma("synchronous = NORMAL");
      // Before initialize(): VACUUM INTO cannot run inside its transaction.
      backupBeforeMigration(db, dataDir, options.notice ?? ((m) => process.stderr.write(`${m}\n`)));
    } catch (error) {
      db?.close();
      throw describeStorageError(error, file, "open the store");
    }
    const store = new Store(db, options.revisionDays);
    try {
      store.initialize(file, dataDir);
    } catch (error) {
      db.close();
      throw describeStorageError(error, file, "open the store");
    }
    return store;
  }

  /** The database file, for messages about it. */
  get file(): string {
    return this.db.name;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Creates what is missing and brings an older store up to SCHEMA_VERSION in one transaction: all
   * of it lands, or none (a newer store is refused untouched).
   */
  private initialize(file: string, dataDir: string): void {
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      const version = this.meta("schema_version");
      if (version === null) this.setMeta("schema_version", String(SCHEMA_VERSION));
      else if (Number(version) < SCHEMA_VERSION && Number(version) in MIGRATIONS) {
        for (let v = Number(version); v < SCHEMA_VERSION; v++) this.db.exec(MIGRATIONS[v]!);
        this.setMeta("schema_version", String(SCHEMA_VERSION));
      } else if (Number(version) !== SCHEMA_VERSION) {
        throw new StoreError(
          `The store at ${file} has schema version ${version}; this version of the program reads ${SCHEMA_VERSION}. ` +
            (Number(version) > SCHEMA_VERSION
              ? "It was written by a newer version: run that version (the store is unchanged), or restore the copy taken before its upgrade from backups/ in the data directory (see the README, \"Upgrades\")."
              : `No upgrade path exists from it: restore a backup made by a compatible version, or ingest the articles into a new data directory (not ${dataDir}).`),
        );
      }
    })();
  }

  meta(key: string): string | null {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }
  /** Records which embedding model made the store's vectors, both facts in one transaction. */
  recordModel(model: string, dimension: number): void {
    this.db.transaction(() => {
      this.setMeta("embedding_model", model);
      this.setMeta("embedding_dimension", String(dimension));
    })();
  }

  /**
   * Runs `fn` in one read transaction: every read in it sees the same commit, even while another
   * process writes.
   */
  consistentRead<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  generation(): number {
    return Number(this.meta("generation") ?? 0);
  }

  private bumpGeneration(): number {
    const next = this.generation() + 1;
    this.setMeta("generation", String(next));
    return next;
  }

  // ---- articles -------------------------------------------------------------------------------

  article(id: string): ArticleRow | undefined {
    return this.db.prepare(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ?`).get(id) as ArticleRow | undefined;
  }

  articleIdsByOrigin(origin: string): string[] {
    return (this.db.prepare("SELECT id FROM articles WHERE origin = ?").all(origin) as { id: string }[]).map((r) => r.id);
  }

  /** Cached per generation: counting rows scans tables, and every answer reports what it searched. */
  counts(): { articles: number; paragraphs: number; sentences: number } {
    const generation = this.generation();
    if (this.countsCache?.generation !== generation) {
      const value = this.db
        .prepare("SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM paragraphs) AS paragraphs, (SELECT count(*) FROM sentences) AS sentences")
        .get() as { articles: number; paragraphs: number; sentences: number };
      this.countsCache = { generation, value };
    }
    return this.countsCache.value;
  }

  private countsCache: { generation: number; value: { articles: number; paragraphs: number; sentences: number } } | null = null;

  /**
   * The listing order: dated articles newest first by publication date, then undated ones by when
   * they were ingested (an undated story is not "newer" than a dated one). The articles_listing
   * index serves this order, so a page costs the same at 100k articles as at ten.
   */
  articleSummaries(limit = -1, offset = 0): ArticleSummary[] {
    return this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM articles ORDER BY ${LISTING_ORDER} LIMIT ? OFFSET ?`)
      .all(limit, offset) as ArticleSummary[];
  }

  articleSummary(id: string): ArticleSummary | undefined {
    return this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM articles WHERE id = ?`).get(id) as ArticleSummary | undefined;
  }

  undatedCount(): number {
    return this.db.prepare("SELECT count(*) FROM articles WHERE published IS NULL").pluck().get() as number;
  }

  /** Ids longer than `length` or starting with `prefix`: the few that buttons name by a hash. */
  articleIdsLongerThan(length: number, prefix: string): string[] {
    return this.db.prepare("SELECT id FROM articles WHERE length(id) > ? OR substr(id, 1, length(?)) = ?").pluck().all(length, prefix, prefix) as string[];
  }

  /**
   * Articles whose id starts with `idPrefix` (through the primary key) or whose title holds every
   * word, in listing order, stopping at `limit`: a walk of the listing index, never a sort of all.
   */
  findArticles(idPrefix: string, words: string[], limit: number): ArticleSummary[] {
    const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const titleMatch = words.length ? words.map(() => "title LIKE ? ESCAPE '\\'").join(" AND ") : "0";
    const byId = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`)
      .all(idPrefix, `${idPrefix}\u{10FFFF}`, limit) as ArticleSummary[];
    const byTitle = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM articles WHERE ${titleMatch} ORDER BY ${LISTING_ORDER} LIMIT ?`)
      .all(...words.map(like), limit) as ArticleSummary[];
    const seen = new Set<string>();
    return [...byId, ...byTitle].filter((a) => !seen.has(a.id) && seen.add(a.id)).slice(0, limit);
  }

  /**
   * Writes a batch atomically: every article lands whole (article, paragraphs, sentences) or none
   * does. `replace` names articles removed in the same transaction (changed versions, or what a
   * restore puts an earlier version back over); each is kept as a revision, whose id is returned.
   */
  writeArticles(records: ArticleRecord[], replace: Supersession[], now = new Date()): { generation: number; revisions: Map<string, number> } {
    const insertArticle = this.db.prepare(
      `INSERT INTO articles (id, title, url, outlet, author, published, dateline, format, content_hash, origin, ingested_at, generation, paragraph_count)
       VALUES (@id, @title, @url, @outlet, @author, @published, @dateline, @format, @contentHash, @origin, @ingestedAt, @generation, @paragraphCount)`,
    );
    const insertParagraph = this.db.prepare("INSERT INTO paragraphs (article_id, idx, text) VALUES (?, ?, ?)");
    const insertSentence = this.db.prepare("INSERT INTO sentences (paragraph_id, start, end, hash) VALUES (?, ?, ?, ?)");
    const run = this.db.transaction(() => {
      const generation = this.bumpGeneration();
      const revisions = new Map<string, number>();
      for (const r of replace) {
        const revision = this.keepRevision(r, now);
        if (revision !== null) revisions.set(r.id, revision);
        this.deleteArticleRows(r.id, generation);
      }
      for (const { article, sentences } of records) {
        insertArticle.run({
          id: article.id,
          title: article.title,
          url: article.url,
          outlet: article.outlet,
          author: article.author,
          published: article.published,
          dateline: article.dateline,
          format: article.format,
          contentHash: article.contentHash,
          origin: article.origin,
          ingestedAt: now.toISOString(),
          generation,
          paragraphCount: article.paragraphs.length,
        });
        article.paragraphs.forEach((text, idx) => {
          const pid = insertParagraph.run(article.id, idx, text).lastInsertRowid;
          for (const s of sentences[idx] ?? []) insertSentence.run(pid, s.start, s.end, s.hash);
        });
      }
      this.pruneRevisions(now);
      return { generation, revisions };
    });
    return run();
  }

  /** Removes an article and leaves tombstones so derived indexes drop its entries; it is kept as a revision. */
  deleteArticle(id: string, now = new Date()): boolean {
    return this.db.transaction(() => {
      if (!this.article(id)) return false;
      this.keepRevision({ id, reason: "forgotten", by: null }, now);
      this.deleteArticleRows(id, this.bumpGeneration());
      this.pruneRevisions(now);
      return true;
    })();
  }

  private deleteArticleRows(id: string, generation: number): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO tombstones (kind, id, generation)
         SELECT 's', s.id, ? FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id WHERE p.article_id = ?`,
      )
      .run(generation, id);
    this.db.prepare("INSERT OR REPLACE INTO tombstones (kind, id, generation) SELECT 'p', id, ? FROM paragraphs WHERE article_id = ?").run(generation, id);
    this.db.prepare("DELETE FROM articles WHERE id = ?").run(id);
  }

  // ---- revisions ------------------------------------------------------------------------------

  /** Copies an article, as it is now, into the revisions (in the caller's transaction). */
  private keepRevision(s: Supersession, now: Date): number | null {
    if (this.revisionDays === 0) return null;
    const revision = this.db
      .prepare(
        `INSERT INTO revisions (article_id, title, url, outlet, author, published, dateline, format, content_hash, origin, ingested_at, paragraph_count, reason, superseded_by, superseded_at)
         SELECT id, title, url, outlet, author, published, dateline, format, content_hash, origin, ingested_at, paragraph_count, ?, ?, ? FROM articles WHERE id = ?`,
      )
      .run(s.reason, s.by, now.toISOString(), s.id);
    if (revision.changes === 0) return null;
    const id = Number(revision.lastInsertRowid);
    this.db.prepare("INSERT INTO revision_paragraphs (revision_id, idx, text) SELECT ?, idx, text FROM paragraphs WHERE article_id = ?").run(id, s.id);
    return id;
  }

  /** Earlier versions past the retention period are deleted for good. */
  pruneRevisions(now = new Date()): void {
    if (this.revisionDays === undefined) return;
    const cutoff = new Date(now.getTime() - this.revisionDays * 86_400_000).toISOString();
    this.db.prepare("DELETE FROM revisions WHERE superseded_at < ?").run(cutoff);
  }

  /** Newest first: all, or an article's history (its own earlier versions and what it took the place of). */
  revisions(articleId: string | undefined, limit: number): RevisionRow[] {
    return (
      articleId === undefined
        ? this.db.prepare(`SELECT ${REVISION_COLUMNS} FROM revisions ORDER BY id DESC LIMIT ?`).all(limit)
        : this.db.prepare(`SELECT ${REVISION_COLUMNS} FROM revisions WHERE article_id = ? OR superseded_by = ? ORDER BY id DESC LIMIT ?`).all(articleId, articleId, limit)
    ) as RevisionRow[];
  }

  /** Replacements since `since` (ISO), newest first: what a correction is. */
  replacementsSince(since: string, limit: number, articleId?: string): RevisionRow[] {
    return (
      articleId === undefined
        ? this.db.prepare(`SELECT ${REVISION_COLUMNS} FROM revisions WHERE reason = 'replaced' AND superseded_at >= ? ORDER BY id DESC LIMIT ?`).all(since, limit)
        : this.db.prepare(`SELECT ${REVISION_COLUMNS} FROM revisions WHERE reason = 'replaced' AND superseded_at >= ? AND superseded_by = ? ORDER BY id DESC LIMIT ?`).all(since, articleId, limit)
    ) as RevisionRow[];
  }

  /** The revision that kept an article's next version, when that one was replaced or removed in turn. */
  laterRevision(articleId: string, afterRevision: number): number | undefined {
    return this.db.prepare("SELECT id FROM revisions WHERE article_id = ? AND id > ? ORDER BY id LIMIT 1").pluck().get(articleId, afterRevision) as number | undefined;
  }

  /** The newest revision that kept this article id (why and when it last changed or went). */
  latestRevisionOf(articleId: string): RevisionRow | undefined {
    return this.db.prepare(`SELECT ${REVISION_COLUMNS} FROM revisions WHERE article_id = ? ORDER BY id DESC LIMIT 1`).get(articleId) as RevisionRow | undefined;
  }

  /** One revision in full, with its paragraph texts in order. */
  revision(id: number): RevisionRecord | undefined {
    const row = this.db
      .prepare(`SELECT ${REVISION_COLUMNS}, author, dateline, format, content_hash AS contentHash, origin FROM revisions WHERE id = ?`)
      .get(id) as Omit<RevisionRecord, "paragraphs"> | undefined;
    if (!row) return undefined;
    return { ...row, paragraphs: this.db.prepare("SELECT text FROM revision_paragraphs WHERE revision_id = ? ORDER BY idx").pluck().all(id) as string[] };
  }
  /** Tombstones every derived index has already applied are no longer needed. */
  pruneTombstones(upToGeneration: number): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM tombstones WHERE generation <= ?").run(upToGeneration);
      if (upToGeneration > this.prunedThrough()) this.setMeta("pruned_through", String(upToGeneration));
    })();
  }

  /** Tombstones up to this generation are gone: an index older than it must reload, not catch up. */
  prunedThrough(): number {
    return Number(this.meta("pruned_through") ?? 0);
  }

  // ---- derived-index feeds --------------------------------------------------------------------

  tombstonesSince(kind: "s" | "p", generation: number): number[] {
    return (this.db.prepare("SELECT id FROM tombstones WHERE kind = ? AND generation > ?").all(kind, generation) as { id: number }[]).map((r) => r.id);
  }

  /** Sentence vectors of articles written after `generation`, in batches, for the vector index. */
  *sentenceVectorsSince(model: string, generation: number, batch = 2048): Generator<{ id: number; vector: Float32Array }[]> {
    const stmt = this.db.prepare(
      `SELECT s.id AS id, e.vector AS vector FROM sentences s
       JOIN paragraphs p ON p.id = s.paragraph_id JOIN articles a ON a.id = p.article_id
       JOIN embeddings e ON e.model = ? AND e.hash = s.hash
       WHERE a.generation > ? AND s.id > ? ORDER BY s.id LIMIT ?`,
    );
    let after = this.firstRowIdSince("sentences", generation) - 1;
    for (;;) {
      const rows = stmt.all(model, generation, after, batch) as { id: number; vector: Buffer }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      yield rows.map((r) => ({ id: r.id, vector: toFloat32(r.vector) }));
    }
  }

  /** Paragraphs (with their article's title) written after `generation`, for the lexical index. */
  *paragraphsSince(generation: number, batch = 2048): Generator<(ParagraphRow & { title: string })[]> {
    const stmt = this.db.prepare(
      `SELECT p.id AS id, p.article_id AS articleId, p.idx AS idx, p.text AS text, a.title AS title
       FROM paragraphs p JOIN articles a ON a.id = p.article_id
       WHERE a.generation > ? AND p.id > ? ORDER BY p.id LIMIT ?`,
    );
    let after = this.firstRowIdSince("paragraphs", generation) - 1;
    for (;;) {
      const rows = stmt.all(generation, after, batch) as (ParagraphRow & { title: string })[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.id;
      yield rows;
    }
  }

  /**
   * The smallest paragraph or sentence id of the articles written after `generation`. Ids only grow
   * (AUTOINCREMENT) and articles are only ever inserted, so every row from there on is newer: a
   * catch-up starts there instead of scanning from id 0, which made each chunk of a long ingest cost
   * as much as the whole store. CROSS JOIN makes SQLite start from the generation index rather
   * than walk the table by id to find the MIN.
   */
  private firstRowIdSince(table: "paragraphs" | "sentences", generation: number): number {
    const sql =
      table === "paragraphs"
        ? "SELECT MIN(p.id) FROM articles a CROSS JOIN paragraphs p ON p.article_id = a.id WHERE a.generation > ?"
        : "SELECT MIN(s.id) FROM articles a CROSS JOIN paragraphs p ON p.article_id = a.id CROSS JOIN sentences s ON s.paragraph_id = p.id WHERE a.generation > ?";
    return (this.db.prepare(sql).pluck().get(generation) as number | null) ?? Number.MAX_SAFE_INTEGER;
  }

  allSentenceIds(): Set<number> {
    return new Set((this.db.prepare("SELECT id FROM sentences").pluck().all() as number[]));
  }

  allParagraphIds(): Set<number> {
    return new Set((this.db.prepare("SELECT id FROM paragraphs").pluck().all() as number[]));
  }

  // ---- embedding cache ------------------------------------------------------------------------

  cachedVectors(model: string, hashes: string[]): Map<string, Float32Array> {
    const found = new Map<string, Float32Array>();
    const stmt = this.db.prepare("SELECT vector FROM embeddings WHERE model = ? AND hash = ?").pluck();
    for (const hash of hashes) {
      if (found.has(hash)) continue;
      const blob = stmt.get(model, hash) as Buffer | undefined;
      if (blob) found.set(hash, toFloat32(blob));
    }
    return found;
  }

  cacheVectors(model: string, entries: Iterable<[string, ArrayLike<number>]>): void {
    const stmt = this.db.prepare("INSERT OR IGNORE INTO embeddings (model, hash, vector) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      for (const [hash, vector] of entries) {
        const f = Float32Array.from(vector);
        stmt.run(model, hash, Buffer.from(f.buffer, f.byteOffset, f.byteLength));
      }
    })();
  }

  // ---- reads for answering --------------------------------------------------------------------

  paragraphsByIds(ids: number[]): Map<number, ParagraphRow> {
    const stmt = this.db.prepare("SELECT id, article_id AS articleId, idx, text FROM paragraphs WHERE id = ?");
    const out = new Map<number, ParagraphRow>();
    for (const id of ids) {
      const row = stmt.get(id) as ParagraphRow | undefined;
      if (row) out.set(id, row);
    }
    return out;
  }

  /**
   * The sentences of some paragraphs, in order, with their vectors under `model`. One query, and
   * vectors read from the store: far cheaper than copying them one by one out of hnswlib.
   */
  sentencesOfParagraphs(paragraphIds: number[], model: string): Map<number, StoredSentence[]> {
    const out = new Map<number, StoredSentence[]>(paragraphIds.map((pid) => [pid, []]));
    // SQLite's default limit on bound parameters is 999 (older builds); batches stay under it.
    for (let i = 0; i < paragraphIds.length; i += 500) {
      const ids = paragraphIds.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT s.id AS id, s.paragraph_id AS paragraphId, s.start AS start, s.end AS end, s.hash AS hash, e.vector AS vector
           FROM sentences s LEFT JOIN embeddings e ON e.model = ? AND e.hash = s.hash
           WHERE s.paragraph_id IN (${ids.map(() => "?").join(",")}) ORDER BY s.paragraph_id, s.start`,
        )
        .all(model, ...ids) as (Omit<StoredSentence, "vector"> & { vector: Buffer | null })[];
      for (const r of rows) out.get(r.paragraphId)!.push({ ...r, vector: r.vector ? toFloat32(r.vector) : null });
    }
    return out;
  }

  sentenceParagraphs(sentenceIds: number[]): Map<number, number> {
    const out = new Map<number, number>();
    for (let i = 0; i < sentenceIds.length; i += 500) {
      const ids = sentenceIds.slice(i, i + 500);
      const rows = this.db.prepare(`SELECT id, paragraph_id AS pid FROM sentences WHERE id IN (${ids.map(() => "?").join(",")})`).all(...ids) as { id: number; pid: number }[];
      for (const r of rows) out.set(r.id, r.pid);
    }
    return out;
  }

  paragraphTexts(articleId: string): string[] {
    return this.db.prepare("SELECT text FROM paragraphs WHERE article_id = ? ORDER BY idx").pluck().all(articleId) as string[];
  }

  /**
   * Paragraphs of the articles published from `since` to `until` (days, "YYYY-MM-DD", both
   * included; either may be open), and how many articles that is. Undated articles are outside
   * any range: nothing says when they ran.
   */
  paragraphIdsPublishedBetween(since: string | null, until: string | null): { paragraphIds: number[]; articles: number } {
    const where = "a.published IS NOT NULL AND (? IS NULL OR substr(a.published, 1, 10) >= ?) AND (? IS NULL OR substr(a.published, 1, 10) <= ?)";
    const paragraphIds = this.db.prepare(`SELECT p.id FROM paragraphs p JOIN articles a ON a.id = p.article_id WHERE ${where}`).pluck().all(since, since, until, until) as number[];
    const articles = this.db.prepare(`SELECT count(*) FROM articles a WHERE ${where}`).pluck().get(since, since, until, until) as number;
    return { paragraphIds, articles };
  }

  /** Other articles holding this very sentence (republished copy), newest first, at most `limit`. */
  copiesOf(sentenceHash: string, exceptArticles: readonly string[], limit: number): { articleId: string; title: string; outlet: string | null; published: string | null }[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT a.id AS articleId, a.title AS title, a.outlet AS outlet, a.published AS published
         FROM sentences s JOIN paragraphs p ON p.id = s.paragraph_id JOIN articles a ON a.id = p.article_id
         WHERE s.hash = ? ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ?`,
      )
      .all(sentenceHash, limit + exceptArticles.length) as { articleId: string; title: string; outlet: string | null; published: string | null }[];
    return rows.filter((r) => !exceptArticles.includes(r.articleId)).slice(0, limit);
  }

  paragraphIdsOfArticle(articleId: string): number[] {
    return this.db.prepare("SELECT id FROM paragraphs WHERE article_id = ? ORDER BY idx").pluck().all(articleId) as number[];
  }

  /** A paragraph (1-based) with up to `context` neighbours each side. */
  paragraphWithContext(articleId: string, paragraph: number, context: number): StoredParagraph[] | null {
    const a = this.article(articleId);
    if (!a || paragraph < 1 || paragraph > a.paragraphCount) return null;
    const rows = this.db
      .prepare("SELECT idx, text FROM paragraphs WHERE article_id = ? AND idx BETWEEN ? AND ? ORDER BY idx")
      .all(articleId, paragraph - 1 - context, paragraph - 1 + context) as { idx: number; text: string }[];
    return rows.map((r) => ({
      articleId,
      title: a.title,
      outlet: a.outlet,
      published: a.published,
      url: a.url,
      paragraph: r.idx + 1,
      of: a.paragraphCount,
      text: r.text,
    }));
  }

  /** Deletes feedback given before `before` (the retention limit); returns how many rows went. */
  pruneFeedback(before: Date): number {
    return this.db.prepare("DELETE FROM feedback WHERE at < ?").run(before.toISOString()).changes;
  }
}

function toFloat32(blob: Buffer): Float32Array {
  // Copy: the Buffer may sit at an offset in a shared pool that is not 4-byte aligned.
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}
