import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/articles/sentences.ts";
import { attributeArticle, attributionOfRange, UNNAMED_SPEAKER } from "../../src/attribution/attribute.ts";
import type { Attribution } from "../../src/attribution/types.ts";
import { parseLabels, scoreLabels, summarise } from "../../src/eval/attribution.ts";
import { loadArticles } from "../../src/eval/datasets.ts";

const LABELS = "test/fixtures/attribution/labels.jsonl";
const STORY = "test/fixtures/news-questions/v7n-story.jsonl";

/** Each sentence of a short article (one paragraph per string) with whose words it is. */
function whose(...paragraphs: string[]): { text: string; who: string }[] {
  return attributeArticle(paragraphs).flatMap((sentences, i) =>
    sentences.map((s) => ({ text: paragraphs[i]!.slice(s.start, s.end), who: s.attribution.kind === "reporting" ? "reporting" : s.attribution.speaker })),
  );
}

const speakers = (...paragraphs: string[]) => whose(...paragraphs).map((s) => s.who);

describe("whose words: the bundled story", () => {
  it("attributes every labelled sentence of the story as labelled", () => {
    const labels = parseLabels(readFileSync(LABELS, "utf8"), "labels.jsonl").filter((l) => l.article === "v7n-ukraine-talks");
    expect(labels.length).toBeGreaterThanOrEqual(20);
    const outcomes = scoreLabels(labels, loadArticles([STORY]));
    const wrong = outcomes.filter((o) => o.verdict !== "right").map((o) => `${o.label.paragraph}.${o.label.sentence}: ${o.verdict} (${JSON.stringify(o.got)})`);
    expect(wrong).toEqual([]);
    expect(summarise(outcomes).accuracy).toBe(1);
  });
});

describe("whose words: each pattern", () => {
  it("gives 'X said' and a later surname to the fullest name, without the title", () => {
    expect(speakers("Kremlin spokesman Dmitry Peskov said the talks were useful.", "Peskov said no date had been set.")).toEqual(["Dmitry Peskov", "Dmitry Peskov"]);
    expect(speakers("Chancellor Gordon Brown welcomed the guests.", "Mr Brown said the lecture was an honour.")).toEqual(["reporting", "Gordon Brown"]);
  });

  it("reads 'according to', 'X told reporters', 'X added' and 'said X' after the words", () => {
    expect(speakers("The deal is close, according to the Kremlin.")).toEqual(["the Kremlin"]);
    expect(speakers("Putin told reporters that the meeting went well.")).toEqual(["Putin"]);
    expect(speakers("Sanctions would stay, Ursula von der Leyen added.")).toEqual(["Ursula von der Leyen"]);
    expect(speakers('"Prices will rise," said Russian oil official Sergei Oganesyan.')).toEqual(["Sergei Oganesyan"]);
    expect(speakers('"Clearly they want leverage," said Dmitry Lukashov, an analyst at brokerage Aton.')).toEqual(["Dmitry Lukashov"]);
  });

  it("steps over 'X, who ..., said' and an apposition between dashes", () => {
    expect(speakers("Alan Greenspan, 79, who has been in London for the G7 meeting, said the debt could never be repaid.")).toEqual(["Alan Greenspan"]);
    expect(speakers('"We used to see hustlers do this," Andrei Illarionov - then an adviser to President Vladimir Putin - told a press conference.')).toEqual(["Andrei Illarionov"]);
  });

  it("reads the forms copy takes in a hurry: a missing closing comma, a bracketed short form, a peer, 'our correspondent'", () => {
    expect(speakers('"We are checking," Michael Lamberty, a Lufthansa spokesman told the BBC.')).toEqual(["Michael Lamberty"]);
    expect(speakers("Howard Archer, economist at Global Insight said rates would hold.")).toEqual(["Howard Archer"]);
    expect(speakers("The British Chambers of Commerce (BCC) said it was concerned.")).toEqual(["the British Chambers of Commerce"]);
    expect(speakers("Lord Bach, Minister for Defence Procurement, said he was disappointed.")).toEqual(["Lord Bach"]);
    expect(speakers("The NAO found that costs had risen. Data on Wednesday also showed output rose.")).toEqual(["the NAO", "reporting"]);
    expect(speakers("The BBC's defence correspondent Paul Adams was at the briefing.", "Our correspondent said the same projects were late.")).toEqual(["reporting", "Paul Adams"]);
  });

  it("reads sports copy: a speaker named by role, a quotation after the sentence that introduces its speaker", () => {
    expect(speakers("Real Madrid midfielder David Beckham has no plans to manage.", '"I am not interested in being a coach," the England captain said.')).toEqual(["reporting", "David Beckham"]);
    expect(speakers("Mike Ruddock paid tribute to his side.", '"We had to show character," said the national team coach.')).toEqual(["reporting", "Mike Ruddock"]);
    expect(speakers('"It is a special moment," Stephen Jones said.', "Double try scorer Martyn Williams was keen not to talk about a Grand Slam.", '"We have more self-belief these days."')).toEqual(["Stephen Jones", "reporting", "Martyn Williams"]);
    expect(speakers("Man-of-the-match Stephen Jones said the team was happy.")).toEqual(["Stephen Jones"]);
  });

  it("reads the forms of the fourth blind batch: plural subjects, modals, bodies shortened or described", () => {
    expect(speakers("The shipping companies deny that they broke the rules. They also say the fines are too high.")).toEqual(["the shipping companies", "the shipping companies"]);
    expect(speakers("The statistics office said output rose.", "Large retailers including Acme have cut prices.", "They have also warned of more cuts.")).toEqual(["the statistics office", "reporting", "Large retailers"]);
    expect(speakers('A Number 10 spokeswoman would only say: "He will decide when he decides."')).toEqual(["a Number 10 spokeswoman"]);
    expect(speakers("Downing Street would not say when the vote would be held.")).toEqual(["reporting"]);
    expect(speakers("A spokesman said the files were safe.", "The police spokesman said an inquiry had begun.")).toEqual(["a spokesman", "the police spokesman"]);
    expect(speakers("The Daily Planet newspaper reported that the deal was off.")).toEqual(["the Daily Planet"]);
    expect(speakers("Station owner Radio Nova says it will stream in 3G.", "Radio Nova Gold will follow.", "Radio says the cost is small.")).toEqual(["Radio Nova", "reporting", "Radio Nova"]);
    expect(speakers("Acme Radio said sales rose.", "Acme Airlines said fares fell.", "Acme says both are growing.")).toEqual(["Acme Radio", "Acme Airlines", "Acme"]);
  });

  it("reads the fourth batch's qualified sources, a sentence-final speaker and a claim that is a noun", () => {
    expect(speakers("The cuts were deep, according to court records.")).toEqual(["court records"]);
    expect(speakers("Although the man, 21, got some data, it is thought he failed to get more, said Mr Ortiz.")).toEqual(["Ortiz"]);
    expect(speakers("A city council claim accusing the builders of fraud has been dismissed by a judge.")).toEqual(["reporting"]);
    expect(speakers("The court in Boston found that the law did not apply.")).toEqual(["the court in Boston"]);
    expect(speakers("A Health Office report on the ten largest hospitals says waiting times rose.")).toEqual(["Health Office"]);
    expect(speakers("The judges ruled that the ban was lawful.")).toEqual(["the judges"]);
    expect(speakers("Skyjet said fares fell.", "The company said that demand was strong.")).toEqual(["Skyjet", "Skyjet"]);
  });

  it("tells a market's move and a naming from speech", () => {
    expect(speakers("Sina shares added an extra 6.4% on Friday.")).toEqual(["reporting"]);
    expect(speakers("The move may lead to a takeover, with analysts saying a rival may bid.")).toEqual(["analysts"]);
    expect(speakers("According to blog analysis firm Technorati, blogs doubled. It now estimates there are 4.8 million.")).toEqual(["Technorati", "Technorati"]);
  });

  it("gives a quotation closed by 'he said' to the person last named", () => {
    expect(speakers("Ukrainian President Volodymyr Zelenskiy addressed the nation on Sunday.", '"Only a just peace will last," he said.')).toEqual(["reporting", "Volodymyr Zelenskiy"]);
  });

  it("gives every sentence of a quotation to the attribution that closes it, or to whoever spoke last", () => {
    expect(speakers('"The first point is settled. The second is not," the minister, Anna Berg, said.')).toEqual(["Anna Berg", "Anna Berg"]);
    // A quotation running on over paragraphs reopens each one with a mark and closes only at its end.
    expect(speakers('Coach Maria Silva said: "We trained hard.', '"We were ready.', '"Nobody expected it."')).toEqual(["Maria Silva", "Maria Silva", "Maria Silva"]);
    // A sentence that goes on inside an open quotation, whatever it names.
    expect(speakers('Gary Smith said: "Conservatives have made their feelings clear. She has continued to practise law."')).toEqual(["Gary Smith", "Gary Smith"]);
  });

  it("resolves 'it' to the body last given words, 'they' to the two people just named", () => {
    expect(speakers("Downing Street said she spoke as a lawyer. It said she was not expressing political opinions.")).toEqual(["Downing Street", "Downing Street"]);
    expect(speakers("Steve Witkoff and Jared Kushner held talks in Moscow. Afterwards, they said Putin wanted a deal.")).toEqual(["reporting", "Steve Witkoff and Jared Kushner"]);
  });

  it("keeps an unnamed source's description", () => {
    expect(speakers("A White House official said the envoys would travel on Thursday. Analysts said the plan was vague.")).toEqual(["a White House official", "analysts"]);
    expect(speakers('"This cannot go on."')).toEqual([UNNAMED_SPEAKER]);
  });

  it("leaves the outlet's reporting alone, names mentioned or not", () => {
    const reporting = [
      "Putin met Witkoff at the Kremlin on Tuesday.",
      "The Kremlin, meanwhile, signalled cautious optimism.",
      "Leaked proposals caused alarm among officials who said the documents appeared to give away too much.",
      "The prime minister's wife is said to have praised the court.",
      "Rosneft and VEB declined to comment.",
      "His comments follow the sale of a firm called Baikal.",
      "Trade between the United States and China grew.",
    ];
    for (const sentence of reporting) expect(speakers(sentence), sentence).toEqual(["reporting"]);
  });

  it("calls a quoted range attributed when any sentence it spans is", () => {
    const paragraph = "Talks ended on Tuesday. Peskov said more meetings would follow.";
    const article = attributeArticle([paragraph]);
    const attributed: Attribution = { kind: "attributed", speaker: "Peskov" };
    expect(attributionOfRange(article, 0, 0, 23)).toEqual({ kind: "reporting" });
    expect(attributionOfRange(article, 0, 0, paragraph.length)).toEqual(attributed);
    expect(attributionOfRange(article, 0, 24, paragraph.length)).toEqual(attributed);
  });
});

describe("whose words: any text", () => {
  it("attributes every sentence of any paragraphs, in the sentence ranges quotes are cut by, with a non-empty speaker", () => {
    const piece = fc.constantFrom("Peskov", "said", "told", "he", "it", "they", "the", "Mr", "of", "who", "according", "to", ",", " - ", '"', "“", "”", ". ", ": ", "and", "Analysts", "was", "’s", "A", "official");
    const paragraph = fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 40 }).map((parts) => parts.join(" "));
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 4 }), (paragraphs) => {
        const article = attributeArticle(paragraphs);
        article.forEach((sentences, i) => {
          expect(sentences.map(({ start, end }) => ({ start, end }))).toEqual(splitSentences(paragraphs[i]!));
          for (const s of sentences) if (s.attribution.kind === "attributed") expect(s.attribution.speaker.trim()).not.toBe("");
        });
      }),
      { numRuns: 300 },
    );
  });
});
