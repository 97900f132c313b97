import { Embeddings } from "@langchain/core/embeddings";
import type { EmbeddingsModel } from "@energetic-ai/embeddings";
import type { EmbeddingsConfig } from "../config.ts";
import { loadUseLite, USE_LITE_DIMENSION, USE_LITE_ID } from "./use-lite-model.ts";
import { WorkerPool } from "./worker-pool.ts";

/** A LangChain `Embeddings` with the identity the store records, so a mismatch is caught on open. */
export interface EmbeddingProvider {
  readonly id: string;
  readonly embeddings: Embeddings;
  /** Known up front for the bundled model; measured with one call for remote providers. */
  dimension(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Texts per model call (worker or in-thread). USE-lite pads a batch to its longest text, so small batches of similar
 * length waste least; measured here, 8-16 beat 32-64 by 15-30%.
 */
const BATCH = 16;

/**
 * The offline default. Documents are embedded by worker threads when `workers > 0`; the query is
 * embedded on the calling thread, where the model loads on first use (ask-only processes never
 * start workers).
 */
export class UseLiteEmbeddings extends Embeddings {
  private model: Promise<EmbeddingsModel> | null = null;
  private pool: WorkerPool | null = null;
  /** The in-thread model takes one call at a time: overlapping calls corrupt its WASM memory. */
  private localQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly workers: number) {
    super({});
  }

  private embedLocally(texts: string[]): Promise<number[][]> {
    this.model ??= loadUseLite();
    const model = this.model;
    const run = this.localQueue.then(async () => (await model).embed(texts));
    this.localQueue = run.catch(() => {});
    return run;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    // Batched by length so that each batch pads little; results go back in the caller's order.
    // Small batches also bound the model's WASM heap, which never shrinks once grown.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const batches: Promise<number[][]>[] = [];
    if (this.workers > 0) this.pool ??= new WorkerPool(this.workers);
    for (let i = 0; i < order.length; i += BATCH) {
      const batch = order.slice(i, i + BATCH).map((j) => texts[j]!);
      batches.push(this.pool ? this.pool.embed(batch) : this.embedLocally(batch));
    }
    const sorted = (await Promise.all(batches)).flat();
    const out: number[][] = new Array(texts.length);
    order.forEach((j, k) => (out[j] = sorted[k]!));
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedLocally([text]);
    return v!;
  }

  /** Ends the workers; the process can exit without waiting for them. */
  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

export async function createEmbeddingProvider(config: EmbeddingsConfig): Promise<EmbeddingProvider> {
  if (config.provider === "use-lite") {
    const embeddings = new UseLiteEmbeddings(config.workers);
    return { id: USE_LITE_ID, embeddings, dimension: async () => USE_LITE_DIMENSION, close: () => embeddings.close() };
  }
  const embeddings = await remoteEmbeddings(config);
  let dim: number | undefined;
  return {
    id: `${config.provider}:${config.model}`,
    embeddings,
    async dimension() {
      dim ??= (await embeddings.embedQuery("dimension probe")).length;
      return dim;
    },
    close: async () => {},
  };
}

/** Optional providers are imported only when chosen, so the default never needs them to load. */
async function remoteEmbeddings(config: Exclude<EmbeddingsConfig, { provider: "use-lite" }>): Promise<Embeddings> {
  if (config.provider === "ollama") {
    const { OllamaEmbeddings } = await import("@langchain/ollama");
    return new OllamaEmbeddings({ baseUrl: config.baseUrl, model: config.model });
  }
  const { OpenAIEmbeddings } = await import("@langchain/openai");
  return new OpenAIEmbeddings({ apiKey: config.apiKey, model: config.model });
}
