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
  /** Distinct query terms the paragraph (or its title) matched. */
  matched: string[];
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

  search(query: string, limit: number, filter?: (paragraphId: number) => boolean): LexicalHit[] {
    const results = this.search_.search(query, { combineWith: "OR", ...(filter ? { filter: (r) => filter(r.id as number) } : {}) });
    return results.slice(0, limit).map((r) => ({ paragraphId: r.id as number, score: r.score, matched: r.queryTerms }));
  }

  has(paragraphId: number): boolean {
    return this.search_.has(paragraphId);
  }

  /** How many paragraphs contain each term, for IDF weights elsewhere. */
  documentFrequency(term: string): number {
    // A term search that does no prefix/fuzzy matching returns exactly the paragraphs holding it.
    return this.search_.search(term, { fields: ["text"], prefix: false, fuzzy: false }).length;
  }

  save(dir: string): void {
    saveSnapshot(dir, NAME, this.generation, { format: FORMAT }, (p) => writeFileSync(p, JSON.stringify(this.search_)));
  }
}
