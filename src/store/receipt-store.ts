import type Database from "better-sqlite3";

/** A receipt as written: the answer as JSON, the cited paragraphs with their text hashes. */
export interface ReceiptRow {
  id: string;
  at: string;
  question: string;
  status: string;
  confidence: number;
  generation: number;
  method: string;
  face: string;
  guildId: string | null;
  channelId: string | null;
  member: string | null;
  messageId: string | null;
  answerJson: string;
}

export interface ReceiptCitationRow {
  n: number;
  articleId: string;
  paragraph: number;
  title: string;
  textHash: string;
}

const COLUMNS = `id, at, question, status, confidence, generation, method, face, guild_id AS guildId, channel_id AS channelId,
  member, message_id AS messageId, answer_json AS answerJson`;

/**
 * The answer receipts and the ratings of them, beside the Store class so that receipts stay one
 * concern: written in one transaction each, read by id or by the message that showed them.
 */
export class ReceiptStore {
  constructor(private readonly db: Database.Database) {}

  /** False when the id is taken (the caller draws another). */
  insert(row: Omit<ReceiptRow, "messageId">, citations: ReceiptCitationRow[]): boolean {
    const insertCitation = this.db.prepare("INSERT INTO receipt_citations (receipt_id, n, article_id, paragraph, title, text_hash) VALUES (?, ?, ?, ?, ?, ?)");
    return this.db.transaction(() => {
      const done = this.db
        .prepare(
          `INSERT OR IGNORE INTO receipts (id, at, question, status, confidence, generation, method, face, guild_id, channel_id, member, answer_json)
           VALUES (@id, @at, @question, @status, @confidence, @generation, @method, @face, @guildId, @channelId, @member, @answerJson)`,
        )
        .run(row);
      if (done.changes === 0) return false;
      for (const c of citations) insertCitation.run(row.id, c.n, c.articleId, c.paragraph, c.title, c.textHash);
      return true;
    })();
  }

  get(id: string): { row: ReceiptRow; citations: ReceiptCitationRow[] } | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM receipts WHERE id = ?`).get(id) as ReceiptRow | undefined;
    if (!row) return undefined;
    const citations = this.db
      .prepare("SELECT n, article_id AS articleId, paragraph, title, text_hash AS textHash FROM receipt_citations WHERE receipt_id = ? ORDER BY n")
      .all(id) as ReceiptCitationRow[];
    return { row, citations };
  }

  /** Records which message showed the answer, so that its buttons find it after a restart. */
  linkMessage(id: string, messageId: string): void {
    this.db.prepare("UPDATE receipts SET message_id = ? WHERE id = ?").run(messageId, id);
  }

  /** Receipts of answers posted as a message (channel and message known) that cited any of these articles. */
  postedCiting(articleIds: string[]): { id: string; channelId: string; messageId: string }[] {
    if (articleIds.length === 0) return [];
    return this.db
      .prepare(
        `SELECT DISTINCT r.id, r.channel_id AS channelId, r.message_id AS messageId FROM receipt_citations c JOIN receipts r ON r.id = c.receipt_id
         WHERE c.article_id IN (${articleIds.map(() => "?").join(", ")}) AND r.message_id IS NOT NULL AND r.channel_id IS NOT NULL ORDER BY r.at`,
      )
      .all(...articleIds) as { id: string; channelId: string; messageId: string }[];
  }

  idOfMessage(messageId: string): string | undefined {
    return this.db.prepare("SELECT id FROM receipts WHERE message_id = ?").pluck().get(messageId) as string | undefined;
  }

  /** One rating per member per answer: false when this member already rated it (the store's unique key says so). */
  rate(r: { receiptId: string; question: string; answerJson: string; helpful: boolean; by: string }, now = new Date()): boolean {
    return (
      this.db
        .prepare("INSERT OR IGNORE INTO feedback (at, question, answer_json, helpful, by, receipt_id) VALUES (?, ?, ?, ?, ?, ?)")
        .run(now.toISOString(), r.question, r.answerJson, r.helpful ? 1 : 0, r.by, r.receiptId).changes === 1
    );
  }

  /** The ratings of one answer, oldest first: whether helpful and when, never by whom. */
  ratingsOf(receiptId: string): { helpful: boolean; at: string }[] {
    return (this.db.prepare("SELECT helpful, at FROM feedback WHERE receipt_id = ? ORDER BY at, id").all(receiptId) as { helpful: number; at: string }[]).map((r) => ({
      helpful: r.helpful === 1,
      at: r.at,
    }));
  }

  /**
   * Ratings given since `since`, newest first (at most `limit`), with the question rated and the
   * receipt when it is still kept; counts over the whole window. Never the member who rated.
   */
  recentRatings(since: Date, limit: number): { helpful: number; notHelpful: number; latest: { at: string; helpful: boolean; question: string; receiptId: string | null; status: string | null }[] } {
    const at = since.toISOString();
    return this.db.transaction(() => {
      const counts = this.db.prepare("SELECT coalesce(sum(helpful = 1), 0) AS helpful, coalesce(sum(helpful = 0), 0) AS notHelpful FROM feedback WHERE at >= ?").get(at) as { helpful: number; notHelpful: number };
      const rows = this.db
        .prepare(
          `SELECT f.at, f.helpful, f.question, r.id AS receiptId, r.status FROM feedback f LEFT JOIN receipts r ON r.id = f.receipt_id
           WHERE f.at >= ? ORDER BY f.at DESC, f.id DESC LIMIT ?`,
        )
        .all(at, limit) as { at: string; helpful: number; question: string; receiptId: string | null; status: string | null }[];
      return { ...counts, latest: rows.map((r) => ({ ...r, helpful: r.helpful === 1 })) };
    })();
  }

  /** Receipts older than the retention limit are deleted with their citations; returns how many went. */
  prune(before: Date): number {
    return this.db.prepare("DELETE FROM receipts WHERE at < ?").run(before.toISOString()).changes;
  }

  /** Everything recorded about one member (by any of these keys): their receipts and ratings. */
  deleteBy(by: string[]): number {
    const receipts = this.db.prepare("DELETE FROM receipts WHERE member = ?");
    const feedback = this.db.prepare("DELETE FROM feedback WHERE by = ?");
    return this.db.transaction(() => by.reduce((n, b) => n + receipts.run(b).changes + feedback.run(b).changes, 0))();
  }

  /**
   * Questions not answered since `since` (declined or closest coverage only), and ratings of
   * answers as not helpful. A rating of a reply that was not an answer is left out: that question
   * is already counted, and counting it twice would rank one member's question as two.
   */
  unanswered(since: Date, limit: number): { total: number; latest: { question: string; at: string; kind: "declined" | "not helpful" }[] } {
    const at = since.toISOString();
    const rows = `SELECT question, at, 'declined' AS kind FROM receipts WHERE at >= @at AND status <> 'answered'
      UNION ALL SELECT f.question, f.at, 'not helpful' AS kind FROM feedback f LEFT JOIN receipts r ON r.id = f.receipt_id
        WHERE f.at >= @at AND f.helpful = 0 AND (r.status IS NULL OR r.status = 'answered')`;
    return this.db.transaction(() => ({
      total: this.db.prepare(`SELECT count(*) FROM (${rows})`).pluck().get({ at }) as number,
      latest: this.db.prepare(`${rows} ORDER BY at DESC LIMIT @limit`).all({ at, limit }) as { question: string; at: string; kind: "declined" | "not helpful" }[],
    }))();
  }
}
