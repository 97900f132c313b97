import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import type { RankedRef } from "./metrics.ts";

/**
 * The stock LangChain.js pipeline, "what a user would build in an afternoon": each article's
 * paragraphs joined by a blank line, `RecursiveCharacterTextSplitter` (1000 / 200), one
 * `HNSWLib.fromDocuments` over every chunk with the same embeddings as the project. Chunks keep
 * their character range, so a retrieved chunk maps back to the paragraphs it overlaps.
 */
export const CHUNK_SIZE = 1000;
export const CHUNK_OVERLAP = 200;
/** Chunks fetched per question: enough to name 10 distinct paragraphs almost always. */
const CHUNKS_PER_QUESTION = 20;

export interface BaselineArticle {
  id: string;
  paragraphs: string[];
}

export interface ChunkMeta {
  articleId: string;
  /** Character range of the chunk in the joined article text. */
  start: number;
  end: number;
  /** 1-based paragraphs the chunk overlaps, most overlapped first. */
  paragraphs: number[];
}

const SEPARATOR = "\n\n";

/** Splits every article and records which paragraphs each chunk covers. Pure apart from the splitter. */
export async function chunkArticles(articles: readonly BaselineArticle[]): Promise<Document<ChunkMeta>[]> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: CHUNK_SIZE, chunkOverlap: CHUNK_OVERLAP });
  const docs: Document<ChunkMeta>[] = [];
  for (const a of articles) {
    const text = a.paragraphs.join(SEPARATOR);
    const bounds: { start: number; end: number }[] = [];
    let at = 0;
    for (const p of a.paragraphs) {
      bounds.push({ start: at, end: at + p.length });
      at += p.length + SEPARATOR.length;
    }
    let cursor = 0;
    for (const chunk of await splitter.splitText(text)) {
      let start = text.indexOf(chunk, cursor);
      if (start < 0) start = text.indexOf(chunk);
      if (start < 0) throw new Error(`a chunk of article ${a.id} is not a substring of its text; cannot map it to paragraphs`);
      cursor = start + 1;
      const end = start + chunk.length;
      const overlaps = bounds
        .map((b, i) => ({ paragraph: i + 1, overlap: Math.min(end, b.end) - Math.max(start, b.start) }))
        .filter((o) => o.overlap > 0)
        .sort((x, y) => y.overlap - x.overlap || x.paragraph - y.paragraph);
      docs.push(new Document<ChunkMeta>({ pageContent: chunk, metadata: { articleId: a.id, start, end, paragraphs: overlaps.map((o) => o.paragraph) } }));
    }
  }
  return docs;
}

/** Identity of a baseline build: same articles, same model, same splitter settings. */
export function baselineKey(modelId: string, articles: readonly BaselineArticle[]): string {
  const h = createHash("sha256").update(`${modelId}\0${CHUNK_SIZE}\0${CHUNK_OVERLAP}\0`);
  for (const a of articles) h.update(`${a.id}\0${a.paragraphs.join("\u0001")}\0`);
  return h.digest("hex").slice(0, 16);
}

export class LangchainBaseline {
  private constructor(
    readonly store: HNSWLib,
    readonly embeddings: EmbeddingsInterface,
    readonly chunks: number,
  ) {}

  /** Builds the store the stock way. */
  static async build(articles: readonly BaselineArticle[], embeddings: EmbeddingsInterface): Promise<LangchainBaseline> {
    const docs = await chunkArticles(articles);
    const store = await HNSWLib.fromDocuments(docs, embeddings);
    return new LangchainBaseline(store, embeddings, docs.length);
  }

  /**
   * Loads the store saved under `cacheDir/<key>` when there is one, else builds and saves it, so a
   * rerun of the evaluation on the same data directory does not embed everything again.
   */
  static async cached(cacheDir: string, key: string, articles: readonly BaselineArticle[], embeddings: EmbeddingsInterface): Promise<{ baseline: LangchainBaseline; fromCache: boolean }> {
    const dir = path.join(cacheDir, key);
    if (existsSync(path.join(dir, "hnswlib.index")) && existsSync(path.join(dir, "docstore.json"))) {
      try {
        const store = await HNSWLib.load(dir, embeddings);
        return { baseline: new LangchainBaseline(store, embeddings, store.index.getCurrentCount()), fromCache: true };
      } catch {
        // A damaged cache is rebuilt.
      }
    }
    const baseline = await LangchainBaseline.build(articles, embeddings);
    await baseline.store.save(dir);
    return { baseline, fromCache: false };
  }

  /** Paragraphs of the top chunks, in chunk order (within a chunk: most overlapped first), at most 10. */
  async search(question: string, vector?: number[]): Promise<{ ranked: (RankedRef & { score: number })[]; topChunk: string }> {
    const q = vector ?? (await this.embeddings.embedQuery(question));
    const k = Math.min(CHUNKS_PER_QUESTION, this.chunks);
    const hits = k > 0 ? await this.store.similaritySearchVectorWithScore(q, k) : [];
    const ranked: (RankedRef & { score: number })[] = [];
    const seen = new Set<string>();
    for (const [doc, distance] of hits) {
      const meta = doc.metadata as ChunkMeta;
      for (const paragraph of meta.paragraphs) {
        const key = `${meta.articleId}\0${paragraph}`;
        if (seen.has(key) || ranked.length >= 10) continue;
        seen.add(key);
        // hnswlib's cosine space reports distance = 1 - similarity.
        ranked.push({ articleId: meta.articleId, paragraph, score: Math.round((1 - distance) * 1000) / 1000 });
      }
    }
    return { ranked, topChunk: hits[0]?.[0].pageContent ?? "" };
  }
}
