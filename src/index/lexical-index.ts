import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { pacer } from "../common/pace.ts";
import type { Store } from "../store/store.ts";
import { isStopword, stem, words } from "./terms.ts";
import { editDistance } from "./edit-distance.ts";
import { loadSnapshot, saveSnapshot, SnapshotError, type SnapshotName } from "./snapshot.ts";

const NAME: SnapshotName = "lexical";

/** Bumped when tokenisation, fields or the file layout change: an older index is rebuilt, not misread. */
const FORMAT = 5;

/** BM25+ as minisearch scored it before this index replaced it (k1, b, delta), so rankings kept. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
/** The article's headline counts, at half the weight of the paragraph's own words. */
const TITLE_BOOST = 0.5;

/** One word of a query: the index terms that count as it, each with a weight (spelling, family). */
export interface QueryGroup {
  variants: { term: string; weight: number }[];
  /** Multiplies the group's score (words carried over from an earlier question weigh less). */
  weight: number;
}

export interface LexicalHit {
  paragraphId: number;
  score: number;
}

/** One term's postings: parallel arrays of document slot and term frequency in each field. */
interface Postings {
  docs: number[];
  tfText: number[];
  tfTitle: number[];
  /** Live documents holding the term in the text / in the title / in either. */
  dfText: number;
  dfTitle: number;
  df: number;
}

/** What the snapshot file holds: live documents only, so deletions never accumulate on disk. */
interface SnapshotData {
  /** [paragraphId, textLength, titleLength] per document slot. */
  docs: [number, number, number][];
  /** term -> flat [slot, tfText, tfTitle, slot, tfText, tfTitle, ...]. */
  terms: Record<string, number[]>;
  /** stem -> a word it was made from, where they differ. */
  forms: Record<string, string>;
}

/**
 * BM25 over paragraphs, with the article's headline as a second field. Derived from the store.
 *
 * Written for this project rather than taken from a library because answering must score only
 * what it needs: a library that builds a result object per matching paragraph (thousands for a
 * common word) made lexical search grow linearly with the archive and dominate answer latency at
 * BBC scale. Here scores accumulate in typed arrays and only the best `limit` become objects.
 */
export class LexicalIndex {
  /** Slot -> paragraph id; -1 once deleted (its postings are skipped, and dropped on save). */
  private paragraphOf: number[] = [];
  private readonly slotOf = new Map<number, number>();
  /** Unique words per field, as the length BM25 normalises by. */
  private textLength: number[] = [];
  private titleLength: number[] = [];
  /** The terms of each slot, so a deletion can lower their document frequencies. */
  private termsOf: string[][] = [];
  private readonly postings = new Map<string, Postings>();
  /** A word as written for each stem that differs from it ("according" for "accord"), for showing. */
  private readonly forms = new Map<string, string>();
  /** Terms by first letter, built on demand for spelling suggestions; dropped when terms change. */
  private byInitial: Map<string, string[]> | null = null;
  private live = 0;
  private textTotal = 0;
  private titleTotal = 0;
  private scores = new Float64Array(0);
  /** Matched query words per slot, weighted (a carried-over word counts less than one). */
  private matched = new Float64Array(0);
  private groupBest = new Float64Array(0);

  private constructor(public generation: number) {}

  static empty(): LexicalIndex {
    return new LexicalIndex(0);
  }

  static load(dir: string): LexicalIndex | null {
    const snap = loadSnapshot(dir, NAME);
    if (!snap || snap.pointer.info.format !== FORMAT) return null;
    try {
      const data = JSON.parse(readFileSync(snap.dataPath, "utf8")) as SnapshotData;
      return LexicalIndex.fromSnapshot(data, snap.pointer.generation);
    } catch (error) {
      // A file that passed the checksum but is not an index (edited pointer, foreign file).
      throw new SnapshotError(`${snap.dataPath} is not a readable lexical index (${(error as Error).message})`);
    }
  }

  private static fromSnapshot(data: SnapshotData, generation: number): LexicalIndex {
    if (!Array.isArray(data.docs) || typeof data.terms !== "object" || data.terms === null || typeof data.forms !== "object" || data.forms === null) throw new Error("docs, terms or forms missing");
    const index = new LexicalIndex(generation);
    for (const [term, form] of Object.entries(data.forms)) index.forms.set(term, form);
    for (const [paragraphId, textLength, titleLength] of data.docs) {
      index.slotOf.set(paragraphId, index.paragraphOf.length);
      index.paragraphOf.push(paragraphId);
      index.textLength.push(textLength);
      index.titleLength.push(titleLength);
      index.termsOf.push([]);
      index.textTotal += textLength;
      index.titleTotal += titleLength;
    }
    index.live = data.docs.length;
    for (const [term, flat] of Object.entries(data.terms)) {
      const p: Postings = { docs: [], tfText: [], tfTitle: [], dfText: 0, dfTitle: 0, df: 0 };
      for (let i = 0; i < flat.length; i += 3) {
        const slot = flat[i]!;
        if (!(slot >= 0 && slot < index.paragraphOf.length)) throw new Error(`term "${term}" names document slot ${slot}, which does not exist`);
        p.docs.push(slot);
        p.tfText.push(flat[i + 1]!);
        p.tfTitle.push(flat[i + 2]!);
        if (flat[i + 1]! > 0) p.dfText++;
        if (flat[i + 2]! > 0) p.dfTitle++;
        p.df++;
        index.termsOf[slot]!.push(term);
      }
      index.postings.set(term, p);
    }
    return index;
  }

  get size(): number {
    return this.live;
  }

  has(paragraphId: number): boolean {
    return this.slotOf.has(paragraphId);
  }

  catchUp(store: Store): { added: number; removed: number } {
    let removed = 0;
    for (const id of store.tombstonesSince("p", this.generation)) if (this.remove(id)) removed++;
    let added = 0;
    for (const batch of store.paragraphsSince(this.generation)) {
      for (const p of batch) {
        // A replaced article may be re-added before its removal was applied on a previous catch-up.
        this.remove(p.id);
        this.add(p.id, p.title, p.text);
      }
      added += batch.length;
    }
    this.generation = store.generation();
    return { added, removed };
  }

  private add(paragraphId: number, title: string, text: string): void {
    const slot = this.paragraphOf.length;
    this.paragraphOf.push(paragraphId);
    this.slotOf.set(paragraphId, slot);
    const text_ = fieldTerms(text, this.forms);
    const title_ = fieldTerms(title, this.forms);
    this.byInitial = null;
    this.textLength.push(text_.length);
    this.titleLength.push(title_.length);
    this.textTotal += text_.length;
    this.titleTotal += title_.length;
    this.live++;
    const terms = new Set([...text_.counts.keys(), ...title_.counts.keys()]);
    this.termsOf.push([...terms]);
    for (const term of terms) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = { docs: [], tfText: [], tfTitle: [], dfText: 0, dfTitle: 0, df: 0 }));
      const inText = text_.counts.get(term) ?? 0;
      const inTitle = title_.counts.get(term) ?? 0;
      p.docs.push(slot);
      p.tfText.push(inText);
      p.tfTitle.push(inTitle);
      if (inText > 0) p.dfText++;
      if (inTitle > 0) p.dfTitle++;
      p.df++;
    }
  }

  private remove(paragraphId: number): boolean {
    const slot = this.slotOf.get(paragraphId);
    if (slot === undefined) return false;
    this.slotOf.delete(paragraphId);
    this.paragraphOf[slot] = -1;
    this.live--;
    this.textTotal -= this.textLength[slot]!;
    this.titleTotal -= this.titleLength[slot]!;
    for (const term of this.termsOf[slot]!) {
      const p = this.postings.get(term)!;
      const i = p.docs.lastIndexOf(slot);
      if (p.tfText[i]! > 0) p.dfText--;
      if (p.tfTitle[i]! > 0) p.dfTitle--;
      p.df--;
    }
    this.termsOf[slot] = [];
    this.byInitial = null;
    return true;
  }

  /** Live paragraphs holding the term. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.df ?? 0;
  }

  /** A word the term was made from ("according" for "accord"), or the term itself. */
  surfaceOf(term: string): string {
    return this.forms.get(term) ?? term;
  }

  /**
   * Index terms within `maxDistance` edits (insert, delete, substitute, swap) of a term, with their
   * document frequencies. Only terms with the same first letter: members misspell the middle and
   * end of a name far more often than its start, and this keeps a lookup well under a millisecond.
   */
  similarTerms(term: string, maxDistance: number): { term: string; df: number; distance: number }[] {
    if (!this.byInitial) {
      this.byInitial = new Map();
      for (const [t, p] of this.postings) {
        if (p.df === 0) continue;
        const list = this.byInitial.get(t[0]!) ?? [];
        list.push(t);
        this.byInitial.set(t[0]!, list);
      }
    }
    const out: { term: string; df: number; distance: number }[] = [];
    for (const t of this.byInitial.get(term[0]!) ?? []) {
      if (Math.abs(t.length - term.length) > maxDistance || t === term) continue;
      const distance = editDistance(term, t, maxDistance);
      if (distance <= maxDistance) out.push({ term: t, df: this.postings.get(t)!.df, distance });
    }
    return out;
  }

  /**
   * The best paragraphs for a query (any word may match; more matched words rank higher), and how
   * many paragraphs hold each query term, for IDF weights elsewhere. A query is a string (each
   * word its own group) or groups of alternative terms: a paragraph scores a group by its best
   * variant, so "Zelensky" corrected to "zelenskiy" or "Europe" widened to "european" counts once.
   */
  search(query: string | QueryGroup[], limit: number, filter?: (paragraphId: number) => boolean): { hits: LexicalHit[]; documentFrequency: Map<string, number> } {
    const groups: QueryGroup[] = typeof query === "string"
      ? [...new Set(words(query).filter((w) => !isStopword(w)).map(stem))].map((term) => ({ variants: [{ term, weight: 1 }], weight: 1 }))
      : query;
    const documentFrequency = new Map<string, number>();
    if (this.scores.length < this.paragraphOf.length) {
      this.scores = new Float64Array(Math.max(1024, this.paragraphOf.length * 2));
      this.matched = new Float64Array(this.scores.length);
      this.groupBest = new Float64Array(this.scores.length);
    }
    const { scores, matched, groupBest } = this;
    const touched: number[] = [];
    const n = this.live;
    const avgText = n > 0 ? this.textTotal / n : 1;
    const avgTitle = n > 0 ? this.titleTotal / n : 1;
    for (const group of groups) {
      const inGroup: number[] = [];
      for (const { term, weight } of group.variants) {
        const p = this.postings.get(term);
        if (!p || p.df === 0) continue;
        documentFrequency.set(term, p.df);
        const idfText = idf(n, p.dfText);
        const idfTitle = idf(n, p.dfTitle);
        for (let i = 0; i < p.docs.length; i++) {
          const slot = p.docs[i]!;
          if (this.paragraphOf[slot]! < 0) continue;
          let s = 0;
          const tfText = p.tfText[i]!;
          if (tfText > 0) s += idfText * saturate(tfText, this.textLength[slot]!, avgText);
          const tfTitle = p.tfTitle[i]!;
          if (tfTitle > 0) s += TITLE_BOOST * idfTitle * saturate(tfTitle, this.titleLength[slot]!, avgTitle);
          s *= weight;
          if (groupBest[slot] === 0) inGroup.push(slot);
          if (s > groupBest[slot]!) groupBest[slot] = s;
        }
      }
      for (const slot of inGroup) {
        if (matched[slot] === 0) touched.push(slot);
        scores[slot]! += group.weight * groupBest[slot]!;
        matched[slot]! += group.weight;
        groupBest[slot] = 0;
      }
    }
    const hits: LexicalHit[] = [];
    for (const slot of touched) {
      const paragraphId = this.paragraphOf[slot]!;
      if (!filter || filter(paragraphId)) hits.push({ paragraphId, score: scores[slot]! * matched[slot]! });
      scores[slot] = 0;
      matched[slot] = 0;
    }
    hits.sort((a, b) => b.score - a.score || a.paragraphId - b.paragraphId);
    return { hits: hits.slice(0, limit), documentFrequency };
  }

  /**
   * Written in pieces with the event loop handed back between them: one JSON.stringify of the
   * whole index held the bot for 0.3 s at 100k paragraphs. The caller must not change this index
   * until it resolves (Indexes sees to it).
   */
  async save(dir: string): Promise<void> {
    await saveSnapshot(dir, NAME, this.generation, { format: FORMAT }, async (p) => {
      const out = await open(p, "w");
      try {
        for await (const piece of this.snapshotJson()) await out.write(piece);
      } finally {
        await out.close();
      }
    });
  }

  /** The SnapshotData document as JSON text, a few thousand terms per piece. */
  private async *snapshotJson(): AsyncGenerator<string> {
    const pace = pacer();
    const compact = new Map<number, number>();
    const docs: SnapshotData["docs"] = [];
    this.paragraphOf.forEach((paragraphId, slot) => {
      if (paragraphId < 0) return;
      compact.set(slot, docs.length);
      docs.push([paragraphId, this.textLength[slot]!, this.titleLength[slot]!]);
    });
    yield `{"docs":${JSON.stringify(docs)},"forms":${JSON.stringify(Object.fromEntries(this.forms))},"terms":{`;
    let piece: string[] = [];
    let separator = "";
    for (const [term, p] of this.postings) {
      const flat: number[] = [];
      for (let i = 0; i < p.docs.length; i++) {
        const slot = compact.get(p.docs[i]!);
        if (slot !== undefined) flat.push(slot, p.tfText[i]!, p.tfTitle[i]!);
      }
      if (flat.length > 0) {
        piece.push(`${separator}${JSON.stringify(term)}:${JSON.stringify(flat)}`);
        separator = ",";
      }
      if (piece.length >= 2_000) {
        yield piece.join("");
        piece = [];
        await pace();
      }
    }
    yield `${piece.join("")}}}`;
  }
}

/** A field's indexed terms with their counts, and its length: unique words, stopwords included. */
function fieldTerms(text: string, forms: Map<string, string>): { counts: Map<string, number>; length: number } {
  const all = words(text);
  const counts = new Map<string, number>();
  for (const w of all) {
    if (isStopword(w)) continue;
    const t = stem(w);
    if (t !== w && !forms.has(t)) forms.set(t, w);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return { counts, length: new Set(all).size };
}

/** BM25's inverse document frequency of a term found in `df` of `n` paragraphs; answer() weighs question words by it too. */
export function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function saturate(tf: number, length: number, average: number): number {
  return DELTA + (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / average));
}
