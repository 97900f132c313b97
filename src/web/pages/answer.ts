import { describeOrigin, whoseWords, type Answer } from "../../library.ts";
import type { Library, Rating, Receipt } from "../../library-types.ts";
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
${feedbackSection(r.feedback)}
${citationSections(lib, r.answer, r.citations)}`;
  return page(`Answer ${r.id}`, body);
}

/**
 * The quotes as the answer gave them, each with its citation number linking to its section and,
 * as in Discord, whose words they are: a source's claim must not read as the outlet's finding.
 */
export function quoteList(a: Answer): Html {
  if (!a.quotes.length) return html``;
  return html`<ol class="quotes">${a.quotes.map((q) => {
    const whose = whoseWords(q, a.citations.find((c) => c.n === q.citation));
    return html`<li><q>${q.text}</q> <a href="#c${q.citation}">[${q.citation}]</a>${whose ? html`<br><span class="whose">— ${whose}</span>` : ""}</li>`;
  })}</ol>`;
}

/** What members made of the answer (the 👍 / 👎 buttons): counts and times only, since who rated is no staff page's business; worded, not emoji, which not every staff machine has a font for. */
function feedbackSection(ratings: Rating[]): Html {
  const helpful = ratings.filter((r) => r.helpful).length;
  return html`<section class="feedback" aria-labelledby="feedback"><h2 id="feedback">Feedback</h2>
${ratings.length
    ? html`<p>${helpful} helpful, ${ratings.length - helpful} not helpful.</p>
<ul>${ratings.map((r) => html`<li>${r.helpful ? "helpful" : "not helpful"}, <time datetime="${r.at}">${r.at.slice(0, 16).replace("T", " ")} UTC</time></li>`)}</ul>`
    : html`<p>No member rated this answer (ratings are kept FEEDBACK_RETENTION_DAYS).</p>`}
</section>`;
}
