/**
 * vitest's global setup: bundles the CLI from the current sources once per test run, and the
 * tests that spawn `memoconductor` run that bundle (cli/spawn-cli.ts, CLI_ENTRY).
 *
 * Why: from the sources, each spawned CLI first loads tsx and resolves ~300 TypeScript modules
 * through its hooks — about a second of CPU before the command starts, paid some hundreds of
 * times per suite. The bundle is what `npm run build` ships (esbuild, one chunk per command),
 * made in under a second without tsc, so a spawned `run` starts about three times sooner.
 *
 * The bundle is of the sources as they are, not of dist/ (which may be stale): each module keeps
 * its own source URL as import.meta.url, so what it resolves relative to itself — worker entries,
 * the timeline page's assets, the package root — is the source file beside it, exactly as under
 * `tsx cli/main.ts`. The supervised plugin thread and explore's worker threads for a builtin
 * start as from the sources (sim/source-worker.ts: a cached bundle of their worker-main.ts; the
 * plugin thread registers tsx on demand for a TypeScript plugin, as the built package does);
 * explore's sweep threads for a plugin start from worker.js, which registers tsx. One exception: sim/plugin/typescript-loader.ts decides by its own URL whether a
 * TypeScript loader is already in place, and in this bundle none is — it sees its built twin's
 * URL, so a TypeScript plugin imported in the main thread registers tsx on demand, as in the
 * published package.
 *
 * The bundle is written under node_modules/.cache (bare imports kept external — tsx, ws,
 * better-sqlite3 — resolve from there) in a directory of its own per run, removed at teardown.
 * `npm start` and `tsx cli/main.ts` are still tested as such (cli/cli.test.ts spawns cli/bin.js).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
// The same options as the shipped bundle (scripts/build.js).
import options from "../../scripts/cli-bundle.json" with { type: "json" };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Each module's import.meta.url stays that of its source file (see above for the one exception). */
const sourceImportMetaUrl: Plugin = {
  name: "source-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
      const url = pathToFileURL(args.path).href;
      const shown = args.path.endsWith(join("sim", "plugin", "typescript-loader.ts")) ? url.replace(/\.ts$/, ".js") : url;
      return { contents: text.replaceAll("import.meta.url", JSON.stringify(shown)), loader: "ts" };
    });
  },
};

export async function bundleCli(outdir: string): Promise<string> {
  const { "//": _why, ...shared } = options;
  await build({
    ...(shared as BuildOptions),
    entryPoints: { memoconductor: join(ROOT, "cli/main.ts") },
    outdir,
    plugins: [sourceImportMetaUrl],
    logLevel: "warning",
  });
  return join(outdir, "memoconductor.js");
}

let dir: string | undefined;

export default async function setup(): Promise<() => void> {
  const cache = join(ROOT, "node_modules/.cache/memoconductor-test-cli");
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, "run-"));
  // Read by cli/spawn-cli.ts in the test workers, which inherit this process's environment.
  process.env.MEMOCONDUCTOR_TEST_CLI = await bundleCli(dir);
  return () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
