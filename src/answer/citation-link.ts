/**
 * A link that scrolls to the quoted words in browsers that support URL text fragments
 * (`#:~:text=start,end`); elsewhere it opens the article as usual.
 */
export function textFragmentLink(url: string | null, quote: string): string | null {
  if (!url) return null;
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    return null;
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") return null;
  const words = quote.split(/\s+/).filter(Boolean);
  const directive = words.length <= 8 ? encode(words.join(" ")) : `${encode(words.slice(0, 4).join(" "))},${encode(words.slice(-4).join(" "))}`;
  base.hash = "";
  return `${base.toString()}#:~:text=${directive}`;
}

/** The text-fragment syntax reserves "-", "," and "&" on top of what encodeURIComponent escapes. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/-/g, "%2D").replace(/,/g, "%2C").replace(/&/g, "%26");
}

/**
 * The staff web page of an article at a cited paragraph (`#p9`), the quoted range marked
 * (`q=start-end`, offsets into the paragraph): where a citation of an article with no URL of its
 * own can lead, and where any citation can be checked.
 */
export function articlePageLink(base: string, articleId: string, paragraph: number, range?: { start: number; end: number }): string {
  const q = range ? `&q=${range.start}-${range.end}` : "";
  return `${base}/articles/${encodeURIComponent(articleId)}?p=${paragraph}${q}#p${paragraph}`;
}
