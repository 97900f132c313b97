/** What the store hands out for listing and showing articles: no SQL rows, no paragraph text in listings. */
import type { ParagraphRef } from "../articles/types.ts";

/** One article as listed to people (no paragraph text). */
export interface ArticleSummary {
  id: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  paragraphs: number;
  ingestedAt: string;
}

/** A stored paragraph, for "show me the source". */
export interface StoredParagraph extends ParagraphRef {
  /** Paragraph count of the article. */
  of: number;
  text: string;
}
