import type { Library } from "../../library-types.ts";
import { html, marked, webAddress, type Html } from "../html.ts";
import { byline, page } from "./layout.ts";

/** Corrections are listed as far back as earlier versions are kept (REVISION_RETENTION_DAYS, at most 3650). */
const HISTORY_DAYS = 3650;
/** An article has at most 2,000 paragraphs (src/articles/limits.ts): one read brings them all. */
const ALL_PARAGRAPHS = 2000;

/**
 * The whole article, each paragraph `id="pN"` with its number as a link to itself; `mark` (from a
 * citation's `?p=9&q=12-80`) marks that range of that paragraph. Then its history: each
 * correction's reworded, added and removed paragraphs, and the earlier versions kept.
 */
export function articlePage(lib: Library, id: string, mark: { paragraph: number; start: number; end: number } | null): Html | null {
  const article = lib.article(id);
  const paragraphs = article ? lib.paragraph(id, 1, ALL_PARAGRAPHS) : null;
  if (!article || !paragraphs) return null;
  const original = webAddress(article.url);
  const body = html`<article>
<header>
<h1>${article.title}</h1>
<p class="meta">${byline(article.outlet, article.published)} · ${paragraphs.length} paragraphs · id <code>${article.id}</code>${original ? html` · <a href="${original}" rel="noopener noreferrer">the original</a>` : ""}</p>
</header>
<div class="paragraphs">
${paragraphs.map((p) => {
  const ranges = mark && mark.paragraph === p.paragraph ? [mark] : [];
  return html`<p id="p${p.paragraph}"${ranges.length ? html` class="cited"` : ""}><a class="n" href="#p${p.paragraph}" aria-label="Paragraph ${p.paragraph}">${p.paragraph}</a> ${marked(p.text, ranges)}</p>\n`;
})}
</div>
</article>
${history(lib, id)}`;
  return page(article.title, body);
}

function history(lib: Library, id: string): Html {
  const corrections = lib.corrections({ articleId: id, days: HISTORY_DAYS });
  const revisions = lib.revisions(id);
  if (!corrections.length && !revisions.length) return html`<section aria-labelledby="history"><h2 id="history">History</h2><p>No earlier version is kept: the article reads as it was first stored.</p></section>`;
  return html`<section aria-labelledby="history"><h2 id="history">History</h2>
${corrections.map(
  (c) => html`<h3>Corrected ${c.at.slice(0, 16).replace("T", " ")} UTC</h3>
${c.retitled ? html`<p>Title was: <del>${c.retitled.before}</del></p>` : ""}
<ul class="diff">
${c.changed.map((d) => html`<li>Paragraph ${d.now} (was ${d.was}) reworded: <del>${d.before}</del> <ins>${d.after}</ins></li>`)}
${c.added.map((d) => html`<li>Paragraph ${d.now} added: <ins>${d.text}</ins></li>`)}
${c.removed.map((d) => html`<li>Paragraph ${d.was} removed: <del>${d.text}</del></li>`)}
</ul>`,
)}
${revisions.length ? html`<h3>Earlier versions kept</h3><table><thead><tr><th scope="col">Revision</th><th scope="col">Until</th><th scope="col">Why</th><th scope="col">Title</th></tr></thead><tbody>${revisions.map((r) => html`<tr><td>${r.id}</td><td>${r.at.slice(0, 16).replace("T", " ")}</td><td>${r.reason}</td><td>${r.title}</td></tr>`)}</tbody></table>` : ""}
</section>`;
}
