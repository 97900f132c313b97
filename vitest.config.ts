import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests load the embedding model and start real servers; two cores are shared between files.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
