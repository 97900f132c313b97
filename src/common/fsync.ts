import { closeSync, fsyncSync, openSync } from "node:fs";

/** Flushes a file to the disk: what crash-safe renames and backups rely on. */
export function fsyncFile(file: string): void {
  const fd = openSync(file, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
