import type { ArticleRow, ParagraphRow, Store } from "../store/store.ts";
import { textFragmentLink } from "./citation-link.ts";
import type { Citation } from "./types.ts";

/**
 * The numbered sources of one reply, as answers and claim checks list them: one per cited
 * paragraph, numbered in the order first cited, linking to the quoted words where there are some.
 */
export class CitationList {
  readonly citations: Citation[] = [];
  private readonly articles = new Map<string, ArticleRow>();

  constructor(private readonly store: Store) {}

  article(id: string): ArticleRow {
    if (!this.articles.has(id)) this.articles.set(id, this.store.article(id)!);
    return this.articles.get(id)!;
  }

  /** The `n` of the paragraph's citation, added when it is not cited yet. */
  cite(p: ParagraphRow, quoteText: string | null): number {
    const existing = this.citations.find((c) => c.articleId === p.articleId && c.paragraph === p.idx + 1);
    if (existing) return existing.n;
    const a = this.article(p.articleId);
    const n = this.citations.length + 1;
    this.citations.push({ n, articleId: a.id, title: a.title, outlet: a.outlet, published: a.published, url: a.url, paragraph: p.idx + 1, link: quoteText ? textFragmentLink(a.url, quoteText) : a.url });
    return n;
  }

  /** The closest coverage, named but not quoted: the first paragraphs of up to `max` articles, one each, no text twice. */
  citeClosest(paragraphs: (ParagraphRow | undefined)[], max = 3): void {
    const articles = new Set<string>();
    const texts = new Set<string>();
    for (const p of paragraphs) {
      if (!p || articles.has(p.articleId) || texts.has(p.text) || articles.size >= max) continue;
      articles.add(p.articleId);
      texts.add(p.text);
      this.cite(p, null);
    }
  }
}
