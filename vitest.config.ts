import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Tests and examples import the package by its name ("memoconductor/sim"): from the sources,
// through package.json's "memoconductor-source" condition — never from dist/, which may be stale
// or absent. (package/consumer.test.ts tests dist/, as a user gets it, in a project of its own.)
const conditions = ["memoconductor-source", ...defaultServerConditions];

/**
 * The longest files, longest first (measured: `--reporter=json`, a whole run on a loaded box).
 * They start before everything else, so that on two workers the many short files fill in
 * around them; started last — which is where vitest puts them without its results cache (a
 * fresh clone, CI): it then orders by file size, and these files are short — one of them alone
 * stretches the end of the run by minutes while the other worker idles.
 */
const LONG_FIRST = [
  "cli/manual-examples.test.ts",
  "package/consumer.test.ts",
  "cluster/cluster.test.ts",
  "cli/node-process.test.ts",
  "cli/plugin-sandbox.test.ts",
  "cli/plugin-sandbox-paths.test.ts",
  "sim/engine/sequence-traces.test.ts",
  "sim/explore/false-alarms.test.ts",
  "cli/sql-command.test.ts",
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rest = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONG_FIRST.indexOf(relative(f.project.config.root, f.moduleId).split("\\").join("/"));
      return i < 0 ? LONG_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the others keep vitest's order (its cache, else size).
    return rest.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    // Spawned CLIs run a bundle of the sources made once per run (see the file for why).
    globalSetup: ["./cli/_test/cli-bundle.ts"],
    include: [
      "core/**/*.test.ts",
      "sql/**/*.test.ts",
      "sim/**/*.test.ts",
      "cli/**/*.test.ts",
      "viz/**/*.test.ts",
      "node/**/*.test.ts",
      "cluster/**/*.test.ts",
      "scenarios/**/*.test.ts",
      "bench/**/*.test.ts",
      "package/*.test.ts",
      "playground/**/*.test.ts",
    ],
    // Child processes, not threads: a test file that spawns CLIs, starts worker threads of its
    // own or leaves handles open is isolated and killed with its process.
    pool: "forks",
    // One fork per worker, reused from file to file, not one fork per file: a fresh fork costs
    // ~0.7 s of CPU (node, vitest's runtime, the modules a test imports) before its first test,
    // ~120 s of the ~700 s of CPU of a whole run over its 182 files. The test files keep no
    // shared state that would need a fresh process: none mocks modules, stubs globals, fakes
    // timers or sets process.env; each stops the processes, threads and servers it starts.
    isolate: false,
    sequence: { sequencer: LongFirstSequencer },
    // One test file per core. Most of the long files wait on child processes (CLIs, nodes,
    // plugin threads) rather than compute, so two files at once on two cores overlap one's
    // waiting with the other's work: measured on this 2-core box under a load average of ~6 from
    // other jobs, the suite took 10.1 min with two workers against 14.7 min with one, both clean.
    // What turns a starved box into "[vitest-worker]: Timeout calling onTaskUpdate" is a single
    // test computing without awaiting for over 60 s of wall time (the worker cannot read the
    // runner's answer in time); no test here computes for more than ~15 s idle, so we keep tests
    // that way rather than run one file at a time.
    maxWorkers: Math.max(1, availableParallelism()),
    minWorkers: 1,
    // Safety nets, not measurements: on a loaded 2-core box a spawned CLI can take 10× its idle
    // time, and the consumer test packs, installs offline and type-checks in its beforeAll.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Closing a fork that ran plugin threads and spawned CLIs can take seconds under load.
    teardownTimeout: 60_000,
  },
});
