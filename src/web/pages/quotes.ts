import { describeToday, type Answer, type Citation, type Quote } from "../../library.ts";
import type { Library, ReceiptCitation } from "../../library-types.ts";
import { html, marked, webAddress, type Html } from "../html.ts";
import { articleHref, byline } from "./layout.ts";

const TIERS: Record<Answer["status"], string> = {
  answered: "Answered",
  closest: "Closest coverage — this may not answer the question",
  not_found: "Not found in the coverage",
};

/** The tier as a heading line, with the confidence it was given at. */
export function tierLine(a: Pick<Answer, "status" | "confidence">): Html {
  return html`<p class="tier tier-${a.status}"><strong>${TIERS[a.status]}</strong> (confidence ${a.confidence.toFixed(2)})</p>`;
}

/**
 * Each citation of an answer as a section: the cited paragraph with its neighbours, the quoted
 * words marked where they are in it, the citation with outlet and date, and links to the article
 * page and the original. With `today` (a receipt's view), a paragraph that no longer reads the
 * same shows the words as quoted and the current wording apart, so nothing is marked in text it
 * was not quoted from.
 */
export function citationSections(lib: Library, a: Answer, today?: ReceiptCitation[]): Html {
  return html`${a.citations.map((c) => citationSection(lib, c, a.quotes.filter((q) => q.citation === c.n), today?.find((t) => t.n === c.n)))}`;
}

function citationSection(lib: Library, c: Citation, quotes: Quote[], today: ReceiptCitation | undefined): Html {
  const state = today?.today ?? "same";
  const at = state === "moved" && today?.now ? today.now : c.paragraph;
  const first = quotes[0];
  const links = html`<p class="links"><a href="${articleHref(c.articleId, at, state === "same" || state === "moved" ? first : undefined)}">Read paragraph ${at} in the article</a>${webAddress(c.url) ? html` · <a href="${webAddress(c.url)}" rel="noopener noreferrer">the original</a>` : ""}</p>`;
  const status = today ? html`<p class="today today-${state}">Paragraph ${c.paragraph} ${describeToday(today)}.</p>` : "";
  let body: Html;
  if (state === "same" || state === "moved") {
    body = paragraphs(lib, c, at, quotes);
  } else {
    const now = state === "changed" ? lib.paragraph(c.articleId, c.paragraph, 0)?.[0] : undefined;
    body = html`${quotes.length ? html`<h3>As quoted</h3>${quotes.map((q) => html`<blockquote class="quoted"><p><mark>${q.text}</mark></p></blockquote>`)}` : ""}${now ? html`<h3>Paragraph ${c.paragraph} today</h3><blockquote class="current"><p>${now.text}</p></blockquote>` : ""}`;
  }
  return html`<section class="citation" id="c${c.n}" aria-labelledby="c${c.n}-title">
<h2 id="c${c.n}-title">[${c.n}] ${c.title || c.articleId}</h2>
<p class="meta">${byline(c.outlet, c.published)} · paragraph ${c.paragraph}</p>
${status}${body}${links}
</section>`;
}

/** The paragraph at `at` and one neighbour each side; the quotes marked at their recorded offsets. */
function paragraphs(lib: Library, c: Citation, at: number, quotes: Quote[]): Html {
  const around = lib.paragraph(c.articleId, at, 1);
  if (!around) return html`<p>The article is no longer in the coverage.</p>`;
  return html`<div class="context">${around.map((p) => {
    if (p.paragraph !== at) return html`<p class="neighbour"><span class="n">${p.paragraph}</span> ${p.text}</p>`;
    // A moved paragraph reads the same, so the recorded offsets still hold; checked all the same.
    const ranges = quotes.filter((q) => p.text.slice(q.start, q.end) === q.text);
    return html`<p class="cited" id="c${c.n}-p${p.paragraph}"><span class="n">${p.paragraph}</span> ${marked(p.text, ranges)}</p>`;
  })}</div>`;
}
