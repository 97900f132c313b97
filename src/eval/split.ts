import { createHash } from "node:crypto";

/** The half an item belongs to, fixed by its id alone: the same on every machine and run. */
export function splitOf(id: string): "dev" | "test" {
  return createHash("sha256").update(id).digest()[0]! % 2 === 0 ? "dev" : "test";
}
