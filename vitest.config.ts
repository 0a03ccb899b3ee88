import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests and examples import the package by its name ("memoconductor/sim"): from the sources,
// through package.json's "memoconductor-source" condition — never from dist/, which may be stale
// or absent. (package/consumer.test.ts tests dist/, as a user gets it, in a project of its own.)
const conditions = ["memoconductor-source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["core/**/*.test.ts", "sim/**/*.test.ts", "cli/**/*.test.ts", "viz/**/*.test.ts", "scenarios/**/*.test.ts", "bench/**/*.test.ts", "package/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
