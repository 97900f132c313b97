import { readReceipt, type ReceiptContext } from "../receipts/receipts.ts";
import type { Store } from "../store/store.ts";
import { diffParagraphs, type ParagraphDiff } from "./diff.ts";

/** One change to a stored article: a new version replaced it (same id or URL, or the same file nearly whole). */
export interface Correction extends ParagraphDiff {
  /** The article as it is now (or as its next version was, if it changed again since). */
  articleId: string;
  title: string;
  /** The id it had before, when the new version came with a new one (text-derived ids). */
  previousId: string | null;
  /** When the new version went in. */
  at: string;
  /** The revision that keeps the earlier wording (`Library.restore` puts it back). */
  revision: number;
  /** The title changed too. */
  retitled: { before: string; after: string } | null;
}

/** Corrections since `since`, newest first; with `articleId`, that article's only. */
export function listCorrections(store: Store, since: Date, limit: number, articleId?: string): Correction[] {
  const out: Correction[] = [];
  for (const r of store.replacementsSince(since.toISOString(), limit, articleId)) {
    const earlier = store.revision(r.id)!;
    const to = r.supersededBy ?? r.articleId;
    // The version that replaced it: kept as a later revision if it changed again, else the stored article.
    const later = store.laterRevision(to, r.id);
    const next = later !== undefined ? store.revision(later) : undefined;
    const current = next ? null : store.article(to);
    if (!next && !current) continue;
    const after = next ? next.paragraphs : store.paragraphTexts(to);
    const title = next?.title ?? current!.title;
    out.push({
      articleId: to,
      title,
      previousId: to === r.articleId ? null : r.articleId,
      at: r.supersededAt,
      revision: r.id,
      retitled: earlier.title === title ? null : { before: earlier.title, after: title },
      ...diffParagraphs(earlier.paragraphs, after),
    });
  }
  return out;
}

/** The wording a paragraph had before its latest correction, or null when it never changed (within revision retention). */
export function earlierWording(store: Store, articleId: string, paragraph: number): { before: string; at: string; was: number } | null {
  for (const c of listCorrections(store, new Date(0), 50, articleId)) {
    const changed = c.changed.find((x) => x.now === paragraph);
    if (changed) return { before: changed.before, at: c.at, was: changed.was };
  }
  return null;
}

/** A posted answer whose quotes the coverage no longer stands behind, and what to tell its readers. */
export interface OutdatedAnswer {
  receiptId: string;
  channelId: string;
  messageId: string;
  notes: {
    /** The citation's number in the answer. */
    n: number;
    title: string;
    articleId: string;
    paragraph: number;
    /** corrected: the paragraph now reads differently and the quoted words are gone from it; removed: the article left the coverage. */
    what: "corrected" | "removed";
    at: string | null;
    /** The article it now is, when the correction gave it a new id. */
    nowArticleId: string | null;
  }[];
}

/**
 * The answers posted as messages that quoted words which the current text of these articles no
 * longer has: a paragraph corrected so that the quoted words are gone from it, or an article
 * removed. A paragraph that only moved, or changed around words still there, needs no note.
 */
export function outdatedAnswers(ctx: ReceiptContext, articleIds: string[]): OutdatedAnswer[] {
  const out: OutdatedAnswer[] = [];
  const wanted = new Set(articleIds);
  for (const posted of ctx.receipts.postedCiting(articleIds)) {
    const receipt = readReceipt(ctx, posted.id);
    if (!receipt) continue;
    const notes: OutdatedAnswer["notes"] = [];
    for (const c of receipt.citations) {
      if (!wanted.has(c.articleId)) continue;
      const quoted = receipt.answer.quotes.some((q) => q.citation === c.n);
      if (!quoted) continue;
      if (c.today === "changed" && c.quoteStillThere === false) {
        notes.push({ n: c.n, title: c.title, articleId: c.articleId, paragraph: c.paragraph, what: "corrected", at: ctx.store.latestRevisionOf(c.articleId)?.supersededAt ?? null, nowArticleId: null });
      } else if (c.today === "gone") {
        const last = ctx.store.latestRevisionOf(c.articleId);
        const replaced = last?.reason === "replaced" && last.supersededBy && ctx.store.article(last.supersededBy);
        notes.push({ n: c.n, title: c.title, articleId: c.articleId, paragraph: c.paragraph, what: replaced ? "corrected" : "removed", at: last?.supersededAt ?? null, nowArticleId: replaced ? last.supersededBy : null });
      }
    }
    if (notes.length > 0) out.push({ receiptId: posted.id, channelId: posted.channelId, messageId: posted.messageId, notes });
  }
  return out;
}
