import MiniSearch from "minisearch";
import { readFileSync, writeFileSync } from "node:fs";
import type { Store } from "../store/store.ts";
import { isStopword, stem, words } from "../retrieval/terms.ts";
import { loadSnapshot, saveSnapshot, SnapshotError } from "./snapshot.ts";

const NAME = "lexical";

interface LexicalDoc {
  id: number;
  title: string;
  text: string;
}

/** Bumped when tokenisation or fields change: an index built differently is rebuilt, not misread. */
const FORMAT = 3;

const OPTIONS = {
  fields: ["title", "text"],
  storeFields: [] as string[],
  tokenize: (text: string) => words(text),
  processTerm: (term: string) => (isStopword(term) ? null : stem(term)),
  searchOptions: { boost: { title: 0.5 } },
};

export interface LexicalHit {
  paragraphId: number;
  score: number;
}

/** BM25 (minisearch) over paragraphs with their article's headline. Derived from the store. */
export class LexicalIndex {
  private constructor(
    private readonly search_: MiniSearch<LexicalDoc>,
    public generation: number,
  ) {}

  static empty(): LexicalIndex {
    return new LexicalIndex(new MiniSearch<LexicalDoc>(OPTIONS), 0);
  }

  static load(dir: string): LexicalIndex | null {
    const snap = loadSnapshot(dir, NAME);
    if (!snap || snap.pointer.info.format !== FORMAT) return null;
    try {
      return new LexicalIndex(MiniSearch.loadJSON<LexicalDoc>(readFileSync(snap.dataPath, "utf8"), OPTIONS), snap.pointer.generation);
    } catch (error) {
      // A file that passed the checksum but is not an index (edited pointer, foreign file).
      throw new SnapshotError(`${snap.dataPath} is not a readable lexical index (${(error as Error).message})`);
    }
  }

  get size(): number {
    return this.search_.documentCount;
  }

  catchUp(store: Store): { added: number; removed: number } {
    let removed = 0;
    for (const id of store.tombstonesSince("p", this.generation)) {
      if (this.search_.has(id)) {
        this.search_.discard(id);
        removed++;
      }
    }
    let added = 0;
    for (const batch of store.paragraphsSince(this.generation)) {
      for (const p of batch) {
        // A replaced article may be re-added before its discard was applied on a previous catch-up.
        if (this.search_.has(p.id)) this.search_.discard(p.id);
        this.search_.add({ id: p.id, title: p.title, text: p.text });
      }
      added += batch.length;
    }
    this.generation = store.generation();
    return { added, removed };
  }

  /**
   * The best paragraphs for a query, and how many paragraphs hold each query term (for IDF
   * weights elsewhere), from one pass: minisearch scores every matching paragraph anyway.
   */
  search(query: string, limit: number, filter?: (paragraphId: number) => boolean): { hits: LexicalHit[]; documentFrequency: Map<string, number> } {
    const results = this.search_.search(query, { combineWith: "OR", prefix: false, fuzzy: false });
    const documentFrequency = new Map<string, number>();
    const hits: LexicalHit[] = [];
    for (const r of results) {
      for (const term of r.terms) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      if (hits.length < limit && (!filter || filter(r.id as number))) hits.push({ paragraphId: r.id as number, score: r.score });
    }
    return { hits, documentFrequency };
  }

  has(paragraphId: number): boolean {
    return this.search_.has(paragraphId);
  }

  save(dir: string): void {
    saveSnapshot(dir, NAME, this.generation, { format: FORMAT }, (p) => writeFileSync(p, JSON.stringify(this.search_)));
  }
}
