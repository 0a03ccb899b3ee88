/**
 * The entry module of a worker thread started from the sources (sourceWorkerEntry): an explore worker (pool.ts) and
 * the CLI's supervised plugin thread (cli/sandbox/supervise.ts).
 *
 * In the built package it is the compiled worker-main.js: plain JavaScript. From the sources it
 * would be worker.js, which registers tsx and imports worker-main.ts — and a worker started so
 * spends about a second and a half of CPU before its first call (its own loader thread
 * transpiling and resolving every module of the simulator), which on two cores ate what a
 * second thread gains, and was most of the cost of each plugin `run` in the tests.
 * So from the sources the worker runs one bundle of worker-main.ts and what it imports, made by
 * esbuild (a fraction of a second, once) and kept in node_modules/.cache/memoconductor/ — inside
 * the package, so that its packages resolve as from the sources — until a source it holds
 * changes; a worker loads it in about 0.2 s of CPU. When esbuild is missing or fails, worker.js.
 * Each bundled module keeps its source file's URL as import.meta.url (what it resolves next to
 * itself is the source beside it, as under tsx), except sim/plugin/typescript-loader.ts, which
 * sees its built twin's and so registers tsx on demand for a TypeScript plugin, exactly as the
 * built package does (a plugin's budget is of its thread's CPU time; registering tsx costs a
 * small part of it).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// The repository root, found when first asked rather than on import: importing this module then
// costs nothing where the bundler is never used (it is reached through sim/node-only.ts only).
let rootDir: string | undefined;
const repoRoot = (): string => (rootDir ??= resolve(dirname(fileURLToPath(import.meta.url)), ".."));

/** The bundle's sources and their sizes and modification times when it was built. */
type Manifest = { inputs: Record<string, [number, number]> };

const ESBUILD = "esbuild";
// Spelled in parts: bundlers of this very file (the CLI's) replace the expression where it appears.
const META_URL = ["import", "meta", "url"].join(".");

const entries = new Map<string, Promise<URL>>();

/**
 * A worker entry for the TypeScript module `source` (absolute path; a worker-main.ts with a
 * worker.js launcher beside it, the fallback): the cached bundle described above.
 */
export function sourceWorkerEntry(source: string, options: SourceWorkerOptions = {}): Promise<URL> {
  const builtinsOnly = options.builtinsOnly === true;
  const id = `${source}\u0000${builtinsOnly}`;
  let entry = entries.get(id);
  if (entry === undefined) {
    entry = bundled(source, builtinsOnly).catch(() => pathToFileURL(join(dirname(source), "worker.js")));
    entries.set(id, entry);
  }
  // Built again if its file went (a cache cleared while this process runs).
  return entry.then((url) => {
    if (existsSync(fileURLToPath(url))) return url;
    entries.delete(id);
    return sourceWorkerEntry(source, options);
  });
}

/**
 * `builtinsOnly`: the worker judges builtin targets only (an explore sweep of builtins; a plugin's
 * sweep starts worker.js), so the plugin contract check (sim/scenario/plugin-contract.ts), which
 * load-crdt.ts imports only when it loads a plugin, is left out: it validates with zod, and
 * esbuild hoists an external package's import to the top of the bundle, dynamic import or not, so
 * every worker would load zod (about 0.15 s of CPU) at its start.
 */
export type SourceWorkerOptions = { readonly builtinsOnly?: boolean };

const PLUGIN_CONTRACT = /[\\/]sim[\\/]scenario[\\/]plugin-contract\.ts$/;
const CONTRACT_STUB = 'export function checkContract(): never { throw new Error("this worker bundle judges builtins only (a plugin sweep starts worker.js)"); }';

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
        const [size, mtime] = stamp(join(repoRoot(), f));
        return size === m.inputs[f]![0] && mtime === m.inputs[f]![1];
      })
    );
  } catch {
    return false;
  }
}

async function bundled(source: string, builtinsOnly: boolean): Promise<URL> {
  const root = repoRoot();
  // One cache file per checkout and entry: node_modules may be shared by several checkouts.
  const key = createHash("sha256").update(root).update(source).update(String(builtinsOnly)).digest("hex").slice(0, 12);
  const dir = join(root, "node_modules", ".cache", "memoconductor");
  const out = join(dir, `${basename(dirname(source))}-worker-${key}.mjs`);
  const manifestFile = `${out}.json`;
  if (existsSync(out) && fresh(manifestFile)) return pathToFileURL(out);
  // By a name the CLI's own bundle leaves alone (esbuild is a development tool, not bundled).
  const esbuild = (await import(ESBUILD)) as typeof import("esbuild");
  const loader = join(root, "sim", "plugin", "typescript-loader.ts");
  const r = await esbuild.build({
    entryPoints: [source],
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
    plugins: [
      {
        name: "source-import-meta-url",
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            if (builtinsOnly && PLUGIN_CONTRACT.test(args.path)) return { contents: CONTRACT_STUB, loader: "ts" };
            const text = readFileSync(args.path, "utf8");
            if (!text.includes(META_URL)) return { contents: text, loader: "ts" };
            const url = pathToFileURL(args.path).href;
            return { contents: text.replaceAll(META_URL, JSON.stringify(args.path === loader ? url.replace(/\.ts$/, ".js") : url)), loader: "ts" };
          });
        },
      },
    ],
  });
  const inputs: Manifest["inputs"] = {};
  for (const f of Object.keys(r.metafile.inputs).sort()) inputs[f] = stamp(join(repoRoot(), f));
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed: another process may be reading or writing the same files.
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, r.outputFiles[0]!.contents);
  renameSync(tmp, out);
  writeFileSync(`${manifestFile}.tmp-${process.pid}`, JSON.stringify({ inputs } satisfies Manifest));
  renameSync(`${manifestFile}.tmp-${process.pid}`, manifestFile);
  return pathToFileURL(out);
}
