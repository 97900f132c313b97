import type { Article } from "../articles/types.ts";
import type { RestoreResult } from "./types.ts";
import { StoreError } from "../store/store.ts";
import { emptySummary, write, type IngestContext, type Plan } from "./ingest.ts";

export class RevisionError extends StoreError {
  override name = "RevisionError";
}

/**
 * Puts a revision's article back as it was: over the article now holding its id, and in place of
 * the one that replaced it (for a replacement between different ids). What it displaces is kept as
 * a revision in turn ("reverted"), so a restore is itself undoable. It goes through the ingest's own
 * write path: the text is split again, and its vectors come from the embedding cache.
 */
export async function restoreRevision(ctx: IngestContext, revisionId: number): Promise<RestoreResult> {
  const r = ctx.store.revision(revisionId);
  if (!r) {
    throw new RevisionError(`No revision ${revisionId} is kept: earlier versions are kept for REVISION_RETENTION_DAYS days (default 30). \`npm run restore\` lists the ones there are.`);
  }
  const article: Article = {
    id: r.articleId,
    title: r.title,
    url: r.url,
    outlet: r.outlet,
    author: r.author,
    published: r.published,
    dateline: r.dateline,
    format: r.format,
    paragraphs: r.paragraphs,
    contentHash: r.contentHash,
    origin: r.origin,
  };
  const current = ctx.store.article(article.id);
  const successor = r.supersededBy !== null && r.supersededBy !== article.id ? ctx.store.article(r.supersededBy) : undefined;
  if (current?.contentHash === article.contentHash && !successor) return { article: { id: article.id, title: article.title }, replaced: [], unchanged: true };

  const displaced = [current, successor].filter((a) => a !== undefined);
  const plan: Plan = {
    article,
    replaces: displaced.map((a) => ({ id: a.id, title: a.title, reason: "reverted", by: article.id })),
    kind: displaced.length > 0 ? "replaced" : "added",
  };
  const summary = await write(ctx, [plan], emptySummary());
  if (summary.failed.length > 0) throw new RevisionError(`Revision ${revisionId} ${summary.failed[0]!.reason}`);
  return {
    article: { id: article.id, title: article.title },
    replaced: summary.replacements.map((x) => ({ ...x.replaced, revision: x.revision })),
    unchanged: false,
  };
}
