import type { Article } from "../articles/types.ts";
import type { ArticleRow, Store } from "../store/store.ts";
import { isSameStory, storySimilarity } from "./same-story.ts";

/**
 * The stored article that an incoming article with neither source id nor URL is a new version of.
 * Such an article's id comes from its text, so an edited copy gets a new id; what ties the two is
 * only the file it came from (an attachment's name, or name and line), and two uploads named
 * `article.txt` are as likely to be different stories as versions of one. So a stored article from
 * the same file is replaced only when the new text keeps it nearly whole (same-story.ts); otherwise
 * the new article is added beside it, and `keptBeside` names it so the summary can say so.
 * (Articles with a source id or URL are replaced only by the same id: that is the case above this.)
 */
export function previousVersion(store: Store, article: Article, claimed: ReadonlySet<string>): { replaces?: ArticleRow; keptBeside?: ArticleRow } {
  if (!article.id.startsWith("c-")) return {};
  let best: { id: string; similarity: number } | undefined;
  let other: string | undefined;
  for (const id of store.articleIdsByOrigin(article.origin)) {
    if (!id.startsWith("c-") || claimed.has(id)) continue;
    const text = store.paragraphTexts(id);
    if (!isSameStory(text, article.paragraphs)) {
      other ??= id;
      continue;
    }
    const similarity = storySimilarity(text, article.paragraphs);
    if (!best || similarity > best.similarity) best = { id, similarity };
  }
  if (best) return { replaces: store.article(best.id)! };
  return other ? { keptBeside: store.article(other)! } : {};
}
