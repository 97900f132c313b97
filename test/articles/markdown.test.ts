import { describe, expect, it } from "vitest";
import { parseFrontMatter, parseMarkdown, stripInline } from "../../src/articles/markdown.ts";
import { parseSource } from "../../src/articles/parse.ts";
import { fixture, textFile } from "./helpers.ts";

describe("markdown with front matter", () => {
  const result = parseSource(fixture("with-front-matter.md"));
  const article = result.articles[0]!;

  it("reads the front matter fields, quoted values included", () => {
    expect(result.errors).toEqual([]);
    expect(article).toMatchObject({
      format: "markdown",
      title: "Council approves: new cycle lanes",
      url: "https://news.example/council/cycle-lanes?utm_campaign=weekly#top",
      outlet: "Riverside Post",
      author: "Sam Patel, Jo King",
      published: "2025-10-15",
      origin: "with-front-matter.md",
    });
  });

  it("gives plain-text paragraphs: markup stripped, lists split, code/images/comments/rules dropped", () => {
    expect(article.paragraphs).toEqual([
      "The city council voted 9 to 4 on Tuesday to build three new protected cycle lanes, a plan first proposed in the 2023 transport review and opposed by some shop owners.",
      "Councillor Rhea Moss said the lanes would be finished by next summer. “It is the safest option,” she said.",
      "Key points of the plan:",
      "A lane on Main Street, from the station to the bridge",
      "A lane along the river path",
      "A link to the university campus",
      "Opponents say parking will be lost. They plan to appeal.",
      "What happens next",
      "Construction starts in March, the council said. Variable_names_like_this and 2*3*4 are left alone.",
    ]);
    const all = article.paragraphs.join("\n");
    for (const gone of ["SELECT", "cyclist.jpg", "editor:", "](", "**", "# "]) expect(all).not.toContain(gone);
  });
});

describe("markdown without front matter", () => {
  it("takes a setext heading as the title", () => {
    const { articles, errors } = parseSource(fixture("no-front-matter.md"));
    expect(errors).toEqual([]);
    expect(articles[0]!.title).toBe("Library opening hours extended");
    expect(articles[0]!.paragraphs).toEqual([
      "The central library will open until 9 p.m. on weekdays from January, the council said on Friday.",
      "Staff numbers will rise by six, funded by a grant from the Arts Fund.",
    ]);
  });

  it("takes a leading # heading as the title and keeps later headings as text", () => {
    const [a] = parseMarkdown("# Main title\n\nBody text.\n\n## Section\n\nMore text.", "x.md").articles;
    expect(a!.title).toBe("Main title");
    expect(a!.paragraphs).toEqual(["Body text.", "Section", "More text."]);
  });

  it("has no title when the document starts with text", () => {
    const [a] = parseMarkdown("Just text.\n\n# Late heading", "x.md").articles;
    expect(a!.title).toBeUndefined();
    expect(a!.paragraphs).toEqual(["Just text.", "Late heading"]);
  });

  it("is sniffed from content when the file has no extension", () => {
    const r = parseSource(textFile("upload", "---\ntitle: Sniffed\n---\n\nBody here."));
    expect(r.articles[0]).toMatchObject({ format: "markdown", title: "Sniffed", paragraphs: ["Body here."] });
  });

  it("treats an unclosed front matter block as a rule, not metadata", () => {
    const [a] = parseMarkdown("---\ntitle: nope\n\nText.", "x.md").articles;
    expect(a!.title).toBeUndefined();
    expect(a!.paragraphs).toEqual(["title: nope", "Text."]);
  });
});

describe("stripInline", () => {
  it.each([
    ["**bold** and __strong__ and *em* and _em_", "bold and strong and em and em"],
    ["see [the report](https://x.org/a_(b)) now", "see the report now"],
    ["ref [link][1] and auto <https://x.org>", "ref link and auto https://x.org"],
    ["![alt](pic.png) caption", "caption"],
    ["`code` and ~~gone~~", "code and gone"],
    ["escaped \\*stars\\* stay", "escaped *stars* stay"],
    ["snake_case_name and 2*3*4", "snake_case_name and 2*3*4"],
    ["AT&amp;T &ldquo;quoted&rdquo; &#8212; done", "AT&T “quoted” — done"],
    ["a <span class='x'>tag</span> here", "a tag here"],
    ["footnote[^1] here", "footnote here"],
  ])("%j -> %j", (input, output) => {
    expect(stripInline(input)).toBe(output);
  });
});

describe("parseFrontMatter", () => {
  it("reads scalars, quotes, inline lists, dash lists and ignores comments", () => {
    expect(
      parseFrontMatter([
        'title: "He said: \\"no\\""',
        "outlet: 'O''Brien Weekly'",
        "tags: [a, 'b c']",
        "authors:",
        "  - One",
        "  - Two",
        "date: 2025-01-01 # when",
        "nested:",
        "  key: value",
      ]),
    ).toEqual({ title: 'He said: "no"', outlet: "O'Brien Weekly", tags: "a, b c", authors: "One, Two", date: "2025-01-01" });
  });
});
