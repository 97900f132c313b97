import type { ArticleSummary, Library } from "../library-types.ts";
import { clip } from "../common/text.ts";
import { articleRef, MAX_PLAIN_REF } from "./buttons.ts";
import { echo } from "./render.ts";

/**
 * Finding the article a member meant: an autocomplete choice (its value is the article's ref), an
 * id typed by hand, or words of a title.
 */
export type Resolved = { ok: true; article: ArticleSummary } | { ok: false; message: string };

/**
 * A ref as buttons and autocomplete values carry it (`articleRef`), to exactly the one article
 * whose ref it is, or to none: a "#" ref is matched against the hash of each full id, never taken
 * as an id itself (a stored id that looks like one cannot stand in for the article it imitates),
 * and never guessed from titles.
 */
export function resolveRef(lib: Library, ref: string): Resolved {
  return byRef(lib, ref.trim());
}

export function resolveArticle(lib: Library, input: string): Resolved {
  const q = input.trim();
  if (!q) return { ok: false, message: "Name an article: start typing its title and pick it from the list." };
  const ref = byRef(lib, q);
  if (ref.ok || q.startsWith("#")) return ref;
  const found = lib.findArticles(q, 50);
  const byTitle = found.filter((a) => a.title.trim().toLowerCase() === q.toLowerCase());
  if (byTitle.length === 1) return { ok: true, article: byTitle[0]! };
  if (found.length === 1) return { ok: true, article: found[0]! };
  if (found.length === 0) return { ok: false, message: `No article in the coverage matches "${echo(q)}". /articles lists them.` };
  return {
    ok: false,
    message: `"${echo(q)}" matches several articles; pick one from the list as you type, e.g. ${found
      .slice(0, 3)
      .map((a) => `"${echo(a.title, 60)}"`)
      .join(", ")}.`,
  };
}

/** Autocomplete choices: at most 25, names and values at most 100 characters. */
export function articleChoices(lib: Library, query: string): { name: string; value: string }[] {
  return lib.findArticles(query, 25).map((a) => {
    const meta = [a.outlet, a.published?.slice(0, 10)].filter(Boolean).join(", ");
    const suffix = meta ? ` (${meta})` : "";
    const title = clip(a.title, Math.max(20, 100 - suffix.length));
    return { name: `${title}${suffix}`.slice(0, 100), value: articleRef(a.id) };
  });
}

function byRef(lib: Library, q: string): Resolved {
  const ids = q.startsWith("#") ? (hashedIds(lib).get(q) ?? []) : [q];
  const articles = ids.map((id) => lib.article(id)).filter((a) => a !== undefined);
  if (articles.length === 1) return { ok: true, article: articles[0]! };
  if (articles.length === 0) return { ok: false, message: `No article in the coverage matches "${echo(q)}". /articles lists them.` };
  return { ok: false, message: `"${echo(q)}" could name ${articles.length} articles, so it names none; pick the article by its title instead.` };
}

/**
 * "#" refs by the ids they hash, rebuilt when the coverage changes: only ids too long for a button
 * (or looking like a ref) are hashed, so a click reads a map instead of hashing every article.
 */
let refCache: { lib: Library; generation: number; refs: Map<string, string[]> } | null = null;
function hashedIds(lib: Library): Map<string, string[]> {
  const generation = lib.stats().generation;
  if (refCache?.lib !== lib || refCache.generation !== generation) {
    const refs = new Map<string, string[]>();
    for (const id of lib.articleIdsLongerThan(MAX_PLAIN_REF, "#")) {
      const ref = articleRef(id);
      refs.set(ref, [...(refs.get(ref) ?? []), id]);
    }
    refCache = { lib, generation, refs };
  }
  return refCache.refs;
}
