/**
 * The one table of what the project reads, by file extension: the parser, folder ingest and Discord
 * uploads all take their lists from here. (They once kept three lists, and drifted: only the parser
 * accepted .xhtml, so a folder ingest and an upload refused a file the parser reads.)
 */
export type Kind = "text" | "markdown" | "html" | "json" | "jsonl" | "zip";

export const KIND_BY_EXTENSION: Readonly<Record<string, Kind>> = {
  txt: "text",
  text: "text",
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  xhtml: "html",
  json: "json",
  jsonl: "jsonl",
  ndjson: "jsonl",
  zip: "zip",
};

/** ".txt", ".md", ...: every extension read, with its dot. */
export const READABLE_EXTENSIONS: readonly string[] = Object.keys(KIND_BY_EXTENSION).map((e) => `.${e}`);

/** How a message names the formats to a person. */
export const SUPPORTED_FORMATS = ".txt, .md, .html, .json or .jsonl (or a .zip of such files)";
