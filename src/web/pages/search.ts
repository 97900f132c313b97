import type { Answer } from "../../library.ts";
import type { Library } from "../../library-types.ts";
import { html, type Html } from "../html.ts";
import { page } from "./layout.ts";
import { quoteList } from "./answer.ts";
import { citationSections, tierLine } from "./quotes.ts";

export function searchForm(q: string): Html {
  return html`<form class="search" method="get" action="/search" role="search">
<label for="q">Ask the coverage</label>
<input id="q" name="q" type="search" value="${q}" maxlength="1000" required>
<button type="submit">Search</button>
</form>`;
}

/** The start page: the search box and what else there is. */
export function homePage(lib: Library): Html {
  const s = lib.stats();
  return page("Staff pages", html`<h1>Staff pages</h1>${searchForm("")}
<p>${s.articles} articles, ${s.paragraphs} paragraphs in the coverage. Answers the bot gave open at <code>/answers/R-…</code> (the receipt id under each answer).</p>`);
}

/** A question answered as the bot would answer it, tier and all (not recorded: staff checking is not a member's question). */
export function searchPage(lib: Library, q: string, a: Answer | null, refusal: string | null): Html {
  const result = refusal
    ? html`<p class="refusal">${refusal}</p>`
    : a
      ? html`${tierLine(a)}${a.status === "not_found" ? html`<p>Searched ${a.searched.articles} articles (${a.searched.paragraphs} paragraphs) for: ${a.searched.terms.join(", ")}.${a.citations.length ? " The closest coverage, not an answer:" : ""}</p>` : quoteList(a)}${citationSections(lib, a)}`
      : html``;
  return page(q ? `Search: ${q}` : "Search", html`<h1>Search</h1>${searchForm(q)}${result}`);
}
