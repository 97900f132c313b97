/**
 * The store's tables. SQLite is the source of truth: the vector and lexical indexes are derived from
 * it and can always be rebuilt from it. `generation` rises with every committed change; a derived
 * index records the generation it reflects and catches up from the rows and tombstones after it.
 */
export const SCHEMA_VERSION = 5;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  url TEXT,
  outlet TEXT,
  author TEXT,
  published TEXT,
  dateline TEXT,
  format TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  origin TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  generation INTEGER NOT NULL,
  paragraph_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_generation ON articles(generation);
CREATE INDEX IF NOT EXISTS articles_origin ON articles(origin);
-- The /articles order (store.ts LISTING_ORDER): pages and title searches walk it instead of sorting 100k rows.
CREATE INDEX IF NOT EXISTS articles_listing ON articles(published IS NULL, published DESC, ingested_at DESC, title);
-- AUTOINCREMENT: ids are index labels, and a reused label could resurrect a deleted vector.
CREATE TABLE IF NOT EXISTS paragraphs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (article_id, idx)
);
CREATE TABLE IF NOT EXISTS sentences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_paragraph ON sentences(paragraph_id);
-- The same sentence in other articles: wire copy republished under another id (copiesOf).
CREATE INDEX IF NOT EXISTS sentences_hash ON sentences(hash);
-- The embedding cache outlives articles: re-adding forgotten or unchanged text costs no model time.
-- A rowid table, not WITHOUT ROWID: there every b-tree page carries whole 2 KB vectors, so the tree
-- is deep and a lookup took ~60 us; with the key in a separate index it takes ~18 (schema 2).
CREATE TABLE IF NOT EXISTS embeddings (
  model TEXT NOT NULL,
  hash TEXT NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, hash)
);
-- What derived indexes must remove when they catch up: kind 's' = sentence vector, 'p' = paragraph.
CREATE TABLE IF NOT EXISTS tombstones (
  kind TEXT NOT NULL,
  id INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
-- Earlier versions: an article as it was when an ingest replaced it, /forget removed it, or a restore
-- put an older version back over it (reason 'replaced', 'forgotten', 'reverted'), with its paragraphs,
-- kept for REVISION_RETENTION_DAYS so that a moderator can undo it (schema 3). Not a foreign key: the
-- article it was is usually gone. Sentences and vectors are not kept: a restore splits the text again
-- and finds the vectors in the embedding cache.
CREATE TABLE IF NOT EXISTS revisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  article_id TEXT NOT NULL,
  title TEXT NOT NULL,
  url TEXT,
  outlet TEXT,
  author TEXT,
  published TEXT,
  dateline TEXT,
  format TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  origin TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  paragraph_count INTEGER NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('replaced', 'forgotten', 'reverted')),
  superseded_by TEXT,
  superseded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_article ON revisions(article_id);
CREATE INDEX IF NOT EXISTS revisions_superseded_by ON revisions(superseded_by);
CREATE INDEX IF NOT EXISTS revisions_superseded_at ON revisions(superseded_at);
CREATE TABLE IF NOT EXISTS revision_paragraphs (
  revision_id INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (revision_id, idx)
) WITHOUT ROWID;
-- receipt_id (schema 4): the answer rated. One rating per member per answer, kept by the store
-- itself, so that it holds across restarts (rows from before schema 4 have none, and SQLite's
-- UNIQUE lets NULLs repeat). Older stores get the same table by migration 3 -> 4.
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  question TEXT NOT NULL,
  answer_json TEXT NOT NULL,
  helpful INTEGER NOT NULL,
  by TEXT NOT NULL,
  receipt_id TEXT,
  UNIQUE (receipt_id, by)
);
-- Answer receipts (schema 4): every answer a face gave, so that staff can trace it later. Members
-- only as a keyed hash; the answer as the face showed it. Pruned after RECEIPT_RETENTION_DAYS.
CREATE TABLE IF NOT EXISTS receipts (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  question TEXT NOT NULL,
  status TEXT NOT NULL,
  confidence REAL NOT NULL,
  generation INTEGER NOT NULL,
  method TEXT NOT NULL,
  face TEXT NOT NULL,
  guild_id TEXT,
  channel_id TEXT,
  member TEXT,
  message_id TEXT,
  answer_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS receipts_at ON receipts(at);
CREATE INDEX IF NOT EXISTS receipts_message ON receipts(message_id);
-- The paragraphs an answer cited, with a hash of their text then, to tell whether they still read the same.
CREATE TABLE IF NOT EXISTS receipt_citations (
  receipt_id TEXT NOT NULL REFERENCES receipts(id) ON DELETE CASCADE,
  n INTEGER NOT NULL,
  article_id TEXT NOT NULL,
  paragraph INTEGER NOT NULL,
  title TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  PRIMARY KEY (receipt_id, n)
) WITHOUT ROWID;
-- The posted answers that quoted an article, found when it is corrected (schema 5).
CREATE INDEX IF NOT EXISTS receipt_citations_article ON receipt_citations(article_id);
-- Feeds moderators follow (schema 5), with the poller's state, so that a restart resumes where it
-- stopped: the validators of the last response (etag, last_modified), when the feed may next be
-- asked (next_poll_at, never sooner than its ttl / max-age / Retry-After), and its run of failures.
CREATE TABLE IF NOT EXISTS feeds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL UNIQUE,
  title TEXT,
  added_at TEXT NOT NULL,
  added_by TEXT NOT NULL,
  guild_id TEXT,
  channel_id TEXT,
  etag TEXT,
  last_modified TEXT,
  next_poll_at TEXT NOT NULL,
  last_poll_at TEXT,
  last_ok_at TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  backlog INTEGER NOT NULL DEFAULT 0
);
-- Each item a feed listed, by its guid (else link): what it said (fingerprint; a new one is an edit
-- to take again) and the article it became. An item that is not an article is kept with its reason,
-- so that it is not fetched again every poll.
CREATE TABLE IF NOT EXISTS feed_items (
  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  article_id TEXT,
  problem TEXT,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
`;

/**
 * Upgrades from older schema versions, each step in the transaction that also runs SCHEMA: a store
 * is either upgraded whole or left as it was. New tables need no step: SCHEMA creates them.
 */
export const MIGRATIONS: Record<number, string> = {
  // 1 -> 2: the embedding cache becomes a rowid table (see above).
  1: `
CREATE TABLE embeddings_v2 (
  model TEXT NOT NULL,
  hash TEXT NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, hash)
);
INSERT INTO embeddings_v2 (model, hash, vector) SELECT model, hash, vector FROM embeddings;
DROP TABLE embeddings;
ALTER TABLE embeddings_v2 RENAME TO embeddings;
`,
  // 2 -> 3: the revisions tables, created by SCHEMA.
  2: "",
  // 3 -> 4: feedback names the receipt it rates, once per member (receipt tables: SCHEMA). A rebuilt
  // table rather than ADD COLUMN, so that the step holds whatever layout the feedback table had.
  3: `
CREATE TABLE feedback_v4 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  question TEXT NOT NULL,
  answer_json TEXT NOT NULL,
  helpful INTEGER NOT NULL,
  by TEXT NOT NULL,
  receipt_id TEXT,
  UNIQUE (receipt_id, by)
);
INSERT INTO feedback_v4 (id, at, question, answer_json, helpful, by) SELECT id, at, question, answer_json, helpful, by FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_v4 RENAME TO feedback;
`,
  // 4 -> 5: the feed tables and the receipt_citations_article index, created by SCHEMA.
  4: "",
};
