/**
 * The entry module of an explore worker thread (pool.ts).
 *
 * In the built package it is the compiled worker-main.js: plain JavaScript. From the sources it
 * would be worker.js, which registers tsx and imports worker-main.ts — and a worker started so
 * spends about a second of CPU before its first seed (its own loader thread transpiling and
 * resolving every module of the simulator), which on two cores ate what a second thread gains.
 * So from the sources the worker runs one bundle of worker-main.ts and what it imports, made by
 * esbuild (a fraction of a second, once) and kept in node_modules/.cache/memoconductor/ — inside
 * the package, so that its packages resolve as from the sources — until a source it holds
 * changes; a worker loads it in about 0.2 s of CPU. When esbuild is missing or fails, worker.js.
 * A TypeScript plugin is still loaded through tsx, as by the built package
 * (sim/plugin/typescript-loader.ts).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const FROM_SOURCE = import.meta.url.endsWith(".ts");
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

/** The bundle's sources and their sizes and modification times when it was built. */
type Manifest = { inputs: Record<string, [number, number]> };

const ESBUILD = "esbuild";
let entry: Promise<URL> | undefined;

/**
 * The worker entry to start (built once per process, and from the sources cached across
 * processes). `plugin`: the sweep loads a plugin module — from the sources, worker.js, whose tsx
 * is in place before the plugin's load is timed (the bundle would register it on demand).
 */
export function workerEntry(plugin = false): Promise<URL> {
  if (!FROM_SOURCE) return Promise.resolve(new URL("./worker-main.js", import.meta.url));
  if (plugin) return Promise.resolve(new URL("./worker.js", import.meta.url));
  entry ??= bundled().catch(() => new URL("./worker.js", import.meta.url));
  // Built again if its file went (a cache cleared while this process runs).
  return entry.then((url) => {
    if (existsSync(fileURLToPath(url))) return url;
    entry = undefined;
    return workerEntry();
  });
}

const stamp = (file: string): [number, number] => {
  const s = statSync(file);
  return [s.size, s.mtimeMs];
};

function fresh(manifestFile: string): boolean {
  if (!existsSync(manifestFile)) return false;
  try {
    const m = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
    const files = Object.keys(m.inputs);
    return (
      files.length > 0 &&
      files.every((f) => {
        const [size, mtime] = stamp(join(root, f));
        return size === m.inputs[f]![0] && mtime === m.inputs[f]![1];
      })
    );
  } catch {
    return false;
  }
}

/**
 * The bundle serves builtin targets only (a plugin's sweep starts worker.js): the plugin contract
 * check, which load-crdt.ts imports only when it loads a plugin, is left out — it validates with
 * zod, and esbuild hoists an external package's import to the top of the bundle, dynamic import
 * or not, so that every worker would load zod (about 0.15 s of CPU) at its start.
 */
const builtinsOnly: import("esbuild").Plugin = {
  name: "builtins-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]sim[\\/]scenario[\\/]plugin-contract\.ts$/ }, () => ({
      loader: "ts",
      contents: 'export function checkContract(): never { throw new Error("the explore worker bundle judges builtins only (a plugin sweep starts worker.js)"); }',
    }));
  },
};

async function bundled(): Promise<URL> {
  // One cache file per checkout: node_modules may be shared by several.
  const key = createHash("sha256").update(root).digest("hex").slice(0, 12);
  const dir = join(root, "node_modules", ".cache", "memoconductor");
  const out = join(dir, `explore-worker-${key}.mjs`);
  const manifestFile = `${out}.json`;
  if (existsSync(out) && fresh(manifestFile)) return pathToFileURL(out);
  // By a name the CLI's own bundle leaves alone (esbuild is a development tool, not bundled).
  const esbuild = (await import(ESBUILD)) as typeof import("esbuild");
  const r = await esbuild.build({
    entryPoints: [join(here, "worker-main.ts")],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    metafile: true,
    outfile: out,
    logLevel: "silent",
    plugins: [builtinsOnly],
  });
  const inputs: Manifest["inputs"] = {};
  for (const f of Object.keys(r.metafile.inputs).sort()) inputs[f] = stamp(join(root, f));
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed: another process may be reading or writing the same files.
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, r.outputFiles[0]!.contents);
  renameSync(tmp, out);
  writeFileSync(`${manifestFile}.tmp-${process.pid}`, JSON.stringify({ inputs } satisfies Manifest));
  renameSync(`${manifestFile}.tmp-${process.pid}`, manifestFile);
  return pathToFileURL(out);
}
