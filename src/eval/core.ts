/**
 * The measurement scripts' door into the core, beside library.ts: the text primitives the bench
 * samples, the parser scripts/extraction.ts scores, the same-story rule scripts/same-story.ts scores, and the
 * attribution rules scripts/attribution.ts scores. Scripts import nothing else below.
 */
export { cleanText } from "../articles/normalize.ts";
export { parseSource } from "../articles/parse.ts";
export { splitSentences } from "../articles/sentences.ts";
export { isSameStory, SAME_STORY_MIN, storySimilarity } from "../ingest/same-story.ts";
export { attributeArticle } from "../attribution/attribute.ts";
export type { Attribution } from "../attribution/types.ts";
