import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCoreConfig, type CoreConfig } from "./config.ts";
import { answer, type AnswerContext } from "./answer/answer.ts";
import { DEFAULT_MIN_CONFIDENCE } from "./answer/confidence.ts";
import { checkClaim } from "./check/check.ts";
import type { Answer, AnswerOptions, RetrievalMethod } from "./answer/types.ts";
import type { SourceFile } from "./articles/types.ts";
import { createEmbeddingProvider, type EmbeddingProvider } from "./index/embeddings.ts";
import { Indexes, type Warn } from "./index/indexes.ts";
import { ingest, INGEST_STOPPED } from "./ingest/ingest.ts";
import { restoreRevision } from "./ingest/restore.ts";
import { readSources } from "./ingest/sources.ts";
import type { IngestProgress, IngestSummary, Library } from "./library-types.ts";
import { parseReceiptId, readReceipt, recordAnswer, type ReceiptContext } from "./receipts/receipts.ts";
import { checkGapDays, DEFAULT_GAP_DAYS, gapReport, MAX_GAP_QUESTIONS, MAX_GAP_TOPICS } from "./receipts/gaps.ts";
import type { AnswerOrigin } from "./receipts/types.ts";
import { storageFailure } from "./store/storage-errors.ts";
import { Store, StoreError } from "./store/store.ts";
import { checkStore, repairStore, unsavedIndexes, type Finding } from "./maintenance/doctor.ts";
import { compactStore, unusedVectors, type CompactResult } from "./maintenance/compact.ts";
import { reindex } from "./maintenance/reindex.ts";
import { createFeeds } from "./feeds/feeds.ts";
import { earlierWording, listCorrections, outdatedAnswers } from "./corrections/corrections.ts";
import { articlePageLink } from "./answer/citation-link.ts";
import { checkPath, signPath } from "./common/signed-links.ts";

export type { Library } from "./library-types.ts";
export { RevisionError } from "./ingest/restore.ts";
export { ReceiptIdError } from "./receipts/receipts.ts";
export { DEFAULT_GAP_DAYS, MAX_GAP_DAYS, MAX_GAP_QUESTIONS, MAX_GAP_TOPICS } from "./receipts/gaps.ts";
/** The most ratings a feedback list shows (the counts cover them all). */
export const MAX_FEEDBACK_LISTED = 100;
export { describeOrigin, describeToday } from "./receipts/describe.ts";
// What the faces need of the core besides a Library: the Answer contract, the question and store
// errors they render, the input limits they check early, and the formats an upload may have.
export type { Answer, Attribution, Citation, ConversationTurn, Quote, RetrievalMethod } from "./answer/types.ts";
export { createEmbeddingProvider, type EmbeddingProvider } from "./index/embeddings.ts";
export { checkQuestion, MAX_QUESTION_CHARS, QuestionError } from "./answer/answer.ts";
export { checkClaimText, MAX_CLAIM_CHARS } from "./check/check.ts";
export type { ClaimCheck, ClaimFact, FactStatus, Verdict } from "./check/types.ts";
export { describeFact, VERDICT_LABELS } from "./check/wording.ts";
export { dayOf, describeRange } from "./answer/recency.ts";
export { whoseWords } from "./answer/whose-words.ts";
export type { InputError, SourceFile } from "./articles/types.ts";
export { READABLE_EXTENSIONS, SUPPORTED_FORMATS } from "./articles/formats.ts";
export { MAX_FILE_BYTES } from "./articles/limits.ts";
export { readSources } from "./ingest/sources.ts";
export { emptySummary } from "./ingest/ingest.ts";
export { AttachmentError, fetchAttachment, fetchPage, type FetchAttachmentOptions } from "./ingest/fetch.ts";
export { StoreError } from "./store/errors.ts";
export { FeedError } from "./feeds/feeds.ts";
export type { Finding } from "./maintenance/doctor.ts";
export type { CompactResult } from "./maintenance/compact.ts";
export type { SignatureCheck } from "./common/signed-links.ts";
export { articlePageLink } from "./answer/citation-link.ts";

export interface OpenOptions {
  /** Overrides DATA_DIR. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Where rebuild notices go (default: stderr). */
  warn?: Warn;
  /** An already-open embedding provider, shared between libraries (evaluation, tests). */
  provider?: EmbeddingProvider;
  /** Aborted when the process shuts down: an ingest in flight stops after the chunk it is writing. */
  stop?: AbortSignal;
}

export class ModelMismatchError extends StoreError {
  override name = "ModelMismatchError";
}

/**
 * Opens the store under the data directory, checks it was built by the configured embedding
 * model, and brings the indexes up to date. Every face starts here.
 */
export async function openLibrary(options: OpenOptions = {}): Promise<Library> {
  const config: CoreConfig = loadCoreConfig(options.env, { dataDir: options.dataDir });
  const warn = options.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  const store = Store.open(config.dataDir, { revisionDays: config.revisionRetentionDays, notice: warn });
  const ownsProvider = !options.provider;
  let created: EmbeddingProvider | undefined;
  try {
    const provider = options.provider ?? (created = await createEmbeddingProvider(config.embeddings));
    const dimension = await checkModel(store, provider, config.dataDir);
    const indexes = await Indexes.open(config.dataDir, store, provider.id, dimension, warn);
    // Otherwise a bot that only answers would keep earlier versions past their retention.
    store.pruneRevisions();
    const ctx: AnswerContext = { store, indexes, embeddings: provider.embeddings, minConfidence: config.minConfidence ?? DEFAULT_MIN_CONFIDENCE };
    const key = memberKey(store);
    const memberHash = (memberId: string) => `m-${createHmac("sha256", key).update(memberId).digest("hex").slice(0, 12)}`;
    const retentionStart = () => new Date(Date.now() - config.feedbackRetentionDays * 86_400_000);
    store.pruneFeedback(retentionStart());
    const receipts = store.receipts;
    const receiptsStart = () => new Date(Date.now() - config.receiptRetentionDays * 86_400_000);
    receipts.prune(receiptsStart());
    const receiptCtx: ReceiptContext = { store, receipts, memberHash };
    // What a receipt needs and the Answer does not carry: the generation it was computed at, and how.
    const answeredAt = new WeakMap<Answer, { generation: number; method: RetrievalMethod }>();
    const linkKey = config.webLinkSecret ? Buffer.from(config.webLinkSecret) : webLinkKey(store);
    const signWeb = (pathname: string, expires: Date) => {
      const exp = Math.floor(expires.getTime() / 1000);
      return { exp: String(exp), sig: signPath(linkKey, pathname, exp) };
    };
    const withVerifyLinks = (a: Answer) => {
      const base = config.webPublicUrl;
      if (!base) return a;
      for (const c of a.citations) {
        const q = a.quotes.find((x) => x.citation === c.n);
        c.verify = articlePageLink(base, c.articleId, c.paragraph, q);
      }
      return a;
    };
    let closed = false;
    /** Ingests in flight: close() waits for them, so the store never closes under a write. */
    const ingesting = new Set<Promise<unknown>>();
    const ingestFiles = async (files: SourceFile[], opts?: { onProgress?: (p: IngestProgress) => void }) => {
      indexes.refresh(store);
      const run = ingest({ store, provider, indexes }, files, opts?.onProgress, options.stop);
      ingesting.add(run);
      try {
        const summary = await run;
        const stopped = summary.failed.filter((f) => f.reason === INGEST_STOPPED).length;
        if (stopped > 0) warn(`Ingest stopped early (shutting down): ${summary.added.length + summary.replaced.length} article(s) stored whole, ${stopped} not reached and not stored.`);
        return summary;
      } finally {
        ingesting.delete(run);
      }
    };
    const feeds = createFeeds({
      feeds: store.feeds,
      ingest: (files) => ingestFiles(files),
      fetch: { maxBytes: MAX_FEED_BYTES, timeoutMs: FETCH_TIMEOUT_MS, allowPrivateHosts: config.fetchAllowPrivateHosts },
      intervalMs: config.feedsPollMs,
      itemsPerPoll: config.feedsItemsPerPoll,
      now: () => new Date(),
    });
    return {
      dataDir: config.dataDir,
      feeds,
      async answer(question: string, opts?: AnswerOptions) {
        indexes.refresh(store);
        const generation = store.generation();
        const a = withVerifyLinks(await answer(ctx, question, opts));
        answeredAt.set(a, { generation, method: opts?.method ?? "hybrid" });
        return a;
      },
      async check(claim: string) {
        indexes.refresh(store);
        return checkClaim(ctx, claim);
      },
      ingest: ingestFiles,
      async forget(articleId: string) {
        const removed = store.deleteArticle(articleId);
        if (removed) {
          await indexes.save(store);
        }
        return removed;
      },
      revisions: (articleId?: string, limit = 25) =>
        store.revisions(articleId, limit).map(({ paragraphCount, supersededAt, ...r }) => ({ ...r, paragraphs: paragraphCount, at: supersededAt })),
      restore(revisionId: number) {
        indexes.refresh(store);
        return restoreRevision({ store, provider, indexes }, revisionId);
      },
      articles: () => store.articleSummaries(),
      articlePage(page: number, size: number) {
        const total = store.counts().articles;
        const pages = Math.max(1, Math.ceil(total / size));
        const at = Math.min(Math.max(1, Math.floor(page) || 1), pages);
        return { articles: store.articleSummaries(size, (at - 1) * size), total, undated: store.undatedCount(), page: at, pages };
      },
      article: (id: string) => store.articleSummary(id),
      articleIdsLongerThan: (length: number, prefix: string) => store.articleIdsLongerThan(length, prefix),
      findArticles(query: string, limit = 25) {
        const q = query.trim().toLowerCase();
        if (!q) return store.articleSummaries(limit);
        return store.findArticles(query.trim(), q.split(/\s+/), limit);
      },
      paragraph: (articleId: string, paragraph: number, context = 0) => store.paragraphWithContext(articleId, paragraph, context),
      recordAnswer(a: Answer, where: AnswerOrigin) {
        const made = answeredAt.get(a) ?? { generation: store.generation(), method: "hybrid" };
        const id = recordAnswer(receiptCtx, a, where, made.generation, made.method);
        receipts.prune(receiptsStart());
        return id;
      },
      receipt: (id: string) => readReceipt(receiptCtx, parseReceiptId(id)),
      corrections: ({ days = 7, limit = 25, articleId }: { days?: number; limit?: number; articleId?: string } = {}) =>
        listCorrections(store, new Date(Date.now() - days * 86_400_000), limit, articleId),
      earlierWording: (articleId: string, paragraph: number) => earlierWording(store, articleId, paragraph),
      outdatedAnswers: (articleIds: string[]) => outdatedAnswers(receiptCtx, articleIds),
      linkAnswerMessage: (receiptId: string, messageId: string) => receipts.linkMessage(receiptId, messageId),
      async gaps({ days = DEFAULT_GAP_DAYS, limit = MAX_GAP_TOPICS } = {}) {
        const since = new Date(Date.now() - checkGapDays(days) * 86_400_000);
        indexes.refresh(store);
        const { total, latest } = receipts.unanswered(since, MAX_GAP_QUESTIONS);
        return gapReport(latest, { days, since, unanswered: total }, limit, (key) => indexes.lexical.documentFrequency(key));
      },
      feedback({ days = DEFAULT_GAP_DAYS, limit = MAX_FEEDBACK_LISTED } = {}) {
        const since = new Date(Date.now() - checkGapDays(days) * 86_400_000);
        const { helpful, notHelpful, latest } = receipts.recentRatings(since, Math.min(Math.max(1, limit), MAX_FEEDBACK_LISTED));
        return { days, since: since.toISOString(), helpful, notHelpful, ratings: latest.map((r) => ({ ...r, status: r.status as Answer["status"] | null })) };
      },
      rateAnswer(r: { messageId: string; helpful: boolean; by: string }) {
        const id = receipts.idOfMessage(r.messageId);
        const found = id === undefined ? undefined : receipts.get(id);
        if (!found) return "unknown answer";
        const rated = receipts.rate({ receiptId: found.row.id, question: found.row.question, answerJson: found.row.answerJson, helpful: r.helpful, by: memberHash(r.by) });
        store.pruneFeedback(retentionStart());
        return rated ? "recorded" : "already rated";
      },
      memberHash,
      webLink(page: string, opts?: { expires?: Date }) {
        if (!config.webPublicUrl) return null;
        if (!opts?.expires) return config.webPublicUrl + page;
        const { exp, sig } = signWeb(page.split(/[?#]/)[0]!, opts.expires);
        const [beforeHash, hash] = page.split("#");
        return `${config.webPublicUrl}${beforeHash}${beforeHash!.includes("?") ? "&" : "?"}exp=${exp}&sig=${sig}${hash === undefined ? "" : `#${hash}`}`;
      },
      signWebPath: (pathname: string, expires: Date) => signWeb(pathname, expires),
      checkWebLink: (pathname: string, exp: string, sig: string) => checkPath(linkKey, pathname, exp, sig, new Date()),
      // Rows from before hashing hold the raw id.
      forgetMember: (memberId: string) => receipts.deleteBy([memberHash(memberId), memberId]),
      stats() {
        return { ...store.counts(), generation: store.generation() };
      },
      async close() {
        if (closed) return;
        closed = true;
        if (ingesting.size > 0) {
          warn(`Waiting for the ingest in flight to ${options.stop?.aborted ? "stop after the chunk it is writing" : "finish"}...`);
          await Promise.allSettled([...ingesting]);
        }
        await indexes.idle();
        if (ownsProvider) await provider.close();
        store.close();
      },
    };
  } catch (error) {
    // A library that failed to open holds nothing open: the caller gets the error alone.
    await created?.close();
    store.close();
    // Saving the caught-up indexes at start can meet a read-only or full disk too.
    throw storageFailure(error, path.join(config.dataDir, "index", "vectors.json"), "save the indexes") ?? error;
  }
}

/** A feed document may be larger than an article file: a 50,000-item RSS feed is about 15 MB. */
const MAX_FEED_BYTES = 32 * 1024 * 1024;
/** Feeds and their items' pages, fetched in the background: the time an attachment download gets from the CLI. */
const FETCH_TIMEOUT_MS = 30_000;

/** The key behind member hashes: made once per store, so hashes stay stable across restarts and backups. */
function memberKey(store: Store): Buffer {
  const kept = store.meta("member_hash_key");
  if (kept) return Buffer.from(kept, "hex");
  const key = randomBytes(32);
  store.setMeta("member_hash_key", key.toString("hex"));
  return key;
}

/** The key behind signed web links, kept like the member-hash key; a leaked link does not reveal it. */
function webLinkKey(store: Store): Buffer {
  const kept = store.meta("web_link_key");
  if (kept) return Buffer.from(kept, "hex");
  const key = randomBytes(32);
  store.setMeta("web_link_key", key.toString("hex"));
  return key;
}

/** The store remembers which model made its vectors; another model's vectors are not comparable. */
async function checkModel(store: Store, provider: EmbeddingProvider, dataDir: string): Promise<number> {
  const recorded = store.meta("embedding_model");
  const dimension = await provider.dimension();
  if (recorded === null || store.counts().sentences === 0) {
    store.setMeta("embedding_model", provider.id);
    store.setMeta("embedding_dimension", String(dimension));
    return dimension;
  }
  if (recorded !== provider.id || Number(store.meta("embedding_dimension")) !== dimension) {
    throw new ModelMismatchError(
      `The store in ${dataDir} was built with the embedding model ${recorded} (${store.meta("embedding_dimension")}-d), but ${provider.id} (${dimension}-d) is configured. ` +
        `Either set EMBEDDINGS back, or re-embed every article with the new model: npm run reindex -- --data-dir ${dataDir}`,
    );
  }
  return dimension;
}

/** The sample coverage that ships with the project. */
export const BUNDLED_ARTICLES = fileURLToPath(new URL("../data/articles/", import.meta.url));
/**
 * The sample's dateline says "Dec 04" and no year; read against "now" it moved a year later every
 * 4 December (on 2026-12-04 the 2025 story became dated 2026-12-04). It was filed on that day in 2025.
 */
const BUNDLED_FILED = new Date("2025-12-04T23:59:59Z");

/**
 * First start: a store that has never held an article gets the bundled sample coverage, so a
 * fresh clone has something to answer from. Only a never-used store (generation 0): one whose
 * articles were all removed stays empty. Null when nothing was done; the face renders the summary.
 */
export async function seedSampleCoverage(lib: Library, options: { onProgress?: (p: IngestProgress) => void; notice?: (message: string) => void } = {}): Promise<IngestSummary | null> {
  if (lib.stats().generation > 0) return null;
  options.notice?.(`The store in ${lib.dataDir} has never held an article; adding the bundled sample coverage from data/articles/ ...`);
  const { files, errors } = readSources([BUNDLED_ARTICLES]);
  const summary = await lib.ingest(files.map((f) => ({ ...f, filed: BUNDLED_FILED })), { onProgress: options.onProgress });
  summary.failed.unshift(...errors);
  return summary;
}

/**
 * The maintenance side of the door, for `doctor`, `reindex` and `compact`: the store as it is on
 * disk, without bringing the indexes up to date first (a check must see them as they were saved).
 * The caller holds the writer lock for anything that writes.
 */
export interface Maintenance {
  readonly dataDir: string;
  readonly modelId: string;
  stats(): { articles: number; paragraphs: number; sentences: number; generation: number };
  /** What is inconsistent between the store, its vectors and both indexes; reads only. */
  check(): Finding[];
  /** Indexes with no saved snapshot (the next start builds them). */
  unsavedIndexes(): string[];
  /** Cached vectors no stored article uses. */
  unusedVectors(): { count: number; bytes: number };
  /** Embeds missing vectors and rebuilds both indexes from the store; never deletes an article. */
  repair(findings: Finding[], warn?: Warn): Promise<void>;
  /** Re-embeds every stored sentence with the configured model, then rebuilds the vector index. */
  reembed(onProgress?: (p: IngestProgress) => void): Promise<{ sentences: number; embedded: number }>;
  /** Drops cached vectors no article uses and gives the space back to the disk. */
  compact(): CompactResult;
  close(): Promise<void>;
}

/** Whether a store exists under the data directory (maintenance on a missing store is a mistake to report). */
export function storeExists(dataDir: string): boolean {
  return existsSync(path.join(dataDir, "store.db"));
}

export async function openMaintenance(options: { dataDir?: string; env?: NodeJS.ProcessEnv; withModel?: boolean } = {}): Promise<Maintenance> {
  const config = loadCoreConfig(options.env, { dataDir: options.dataDir });
  const { dataDir } = config;
  const store = Store.open(dataDir);
  // Compacting needs no model: loading one would only slow it down.
  let provider: EmbeddingProvider | undefined;
  const model = async () => (provider ??= await createEmbeddingProvider(config.embeddings));
  try {
    const loaded = options.withModel === false ? undefined : await model();
    const dimension = loaded ? await loaded.dimension() : 0;
    /** Opening a library rebuilds dropped indexes from the store and saves them, as any start would. */
    const rebuild = async (warn?: Warn) => (await openLibrary({ dataDir, provider: await model(), warn })).close();
    return {
      dataDir,
      modelId: loaded?.id ?? "",
      stats: () => ({ ...store.counts(), generation: store.generation() }),
      check() {
        if (!loaded) throw new Error("openMaintenance({ withModel: false }) cannot check vectors");
        return checkStore(dataDir, store, loaded, dimension);
      },
      unsavedIndexes: () => unsavedIndexes(dataDir, store),
      unusedVectors: () => unusedVectors(store),
      async repair(findings, warn) {
        await repairStore(dataDir, store, await model(), findings);
        await rebuild(warn);
      },
      async reembed(onProgress) {
        const result = await reindex(dataDir, store, await model(), onProgress);
        await rebuild();
        return result;
      },
      compact: () => compactStore(store, path.join(dataDir, "store.db")),
      async close() {
        store.close();
        await provider?.close();
      },
    };
  } catch (error) {
    store.close();
    await provider?.close();
    throw error;
  }
}
