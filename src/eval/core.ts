/**
 * The measurement scripts' door into the core, beside library.ts: the text primitives the bench
 * samples, the parser scripts/extraction.ts scores, and the same-story rule scripts/same-story.ts scores. Scripts import nothing else below.
 */
export { cleanText } from "../articles/normalize.ts";
export { parseSource } from "../articles/parse.ts";
export { splitSentences } from "../articles/sentences.ts";
export { isSameStory, SAME_STORY_MIN, storySimilarity } from "../ingest/same-story.ts";
