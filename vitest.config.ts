import { availableParallelism } from "node:os";
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
    include: [
      "core/**/*.test.ts",
      "sql/**/*.test.ts",
      "sim/**/*.test.ts",
      "cli/**/*.test.ts",
      "viz/**/*.test.ts",
      "node/**/*.test.ts",
      "scenarios/**/*.test.ts",
      "bench/**/*.test.ts",
      "package/*.test.ts",
    ],
    // Child processes, not threads: a test file that spawns CLIs, starts worker threads of its
    // own or leaves handles open is isolated and killed with its process.
    pool: "forks",
    // One test file per two cores (vitest's default is cores − 1). Many files spawn CLIs, several
    // at once, and plugin threads: each file needs more than its one core at times. A worker
    // starved of CPU is what a loaded box turns into "[vitest-worker]: Timeout calling
    // onTaskUpdate" although every test passed: the worker's calls to the runner time out after
    // a fixed 60 s of wall time, and a test that computes without awaiting for that long cannot
    // read the runner's answer in time.
    maxWorkers: Math.max(1, Math.floor(availableParallelism() / 2)),
    minWorkers: 1,
    // Safety nets, not measurements: on a loaded 2-core box a spawned CLI can take 10× its idle
    // time, and the consumer test packs, installs offline and type-checks in its beforeAll.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Closing a fork that ran plugin threads and spawned CLIs can take seconds under load.
    teardownTimeout: 60_000,
  },
});
