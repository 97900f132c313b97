import { describeOrigin, type Answer } from "../../library.ts";
import type { Library, Receipt } from "../../library-types.ts";
import { html, type Html } from "../html.ts";
import { page } from "./layout.ts";
import { citationSections, tierLine } from "./quotes.ts";

/** An answer receipt as staff audit it: what was asked, when and where, and each quote in its paragraph, checked against today's text. */
export function answerPage(lib: Library, r: Receipt): Html {
  const body = html`<h1>Answer ${r.id}</h1>
<dl class="facts">
<dt>Asked</dt><dd>${r.question}</dd>
<dt>When</dt><dd><time datetime="${r.at}">${r.at.slice(0, 16).replace("T", " ")} UTC</time></dd>
<dt>Where</dt><dd>${describeOrigin(r)}${r.member ? `, member ${r.member}` : ""}</dd>
<dt>How</dt><dd>${r.method} retrieval, store generation ${r.generation}</dd>
</dl>
${tierLine(r)}
<p class="verdict">${r.citations.length === 0 ? "Nothing was cited." : r.unchanged ? "Every cited paragraph reads today as it did when the answer was given." : "Some cited paragraphs changed since this answer was given: they are marked below."}</p>
${quoteList(r.answer)}
${citationSections(lib, r.answer, r.citations)}`;
  return page(`Answer ${r.id}`, body);
}

/** The quotes as the answer gave them, each with its citation number linking to its section. */
export function quoteList(a: Answer): Html {
  if (!a.quotes.length) return html``;
  return html`<ol class="quotes">${a.quotes.map((q) => html`<li><q>${q.text}</q> <a href="#c${q.citation}">[${q.citation}]</a></li>`)}</ol>`;
}
