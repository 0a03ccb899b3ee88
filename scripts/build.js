// `npm run build` (and `prepare`, which npm runs on install from git and on pack/publish):
// 1. tsc compiles the sources into dist/ — JavaScript with its .d.ts beside it — the library
//    (`memoconductor/core`, `/sim`, `/viz`, `/node`) and the worker entries threads start from;
// 2. the files the built code reads from disk next to itself are copied (the timeline page's
//    script and CSS, inlined into every timeline.html);
// 3. esbuild bundles the CLI into dist/bin/ (memoconductor.js and a chunk per command, loaded
//    when that command runs). Loading ~300 small ES modules (ours and zod's) cost more than the
//    command itself; a few chunks start the CLI about a third faster (`npm run bench -- startup`).
//    Bundled code keeps each module's own import.meta.url — that of its file in dist/ — so
//    every path it resolves relative to itself (workers, page assets, the package root) is
//    the one the unbundled build resolves.
// dist/ is removed first, so a file deleted from the sources does not live on in the package.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const at = (rel) => fileURLToPath(new URL(rel, new URL("../", import.meta.url)));
const BIN = at("dist/bin");

rmSync(at("dist"), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

for (const f of readdirSync(at("viz/page"))) {
  if (/\.(js|css)$/.test(f)) cpSync(at(`viz/page/${f}`), at(`dist/viz/page/${f}`));
}

/** Each bundled source file's import.meta.url becomes the URL of its compiled twin in dist/. */
const importMetaUrlAsBuilt = {
  name: "import-meta-url-as-built",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
      const twin = relative(BIN, at(`dist/${relative(root, args.path).replace(/\.ts$/, ".js")}`))
        .split(sep)
        .join("/");
      return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(twin)}, import.meta.url).href`), loader: "ts" };
    });
  },
};

await build({
  entryPoints: { memoconductor: at("cli/main.ts") },
  outdir: BIN,
  // Chunks beside the entry: one directory, so the plugin's relative URLs hold for all of them.
  chunkNames: "[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // tsx is imported only to load a TypeScript plugin, from its own files (its loader hooks).
  // ws (optional native add-ons of its own) and better-sqlite3 (a native build) load from
  // node_modules at run time: only the node and client commands import them.
  external: ["tsx", "tsx/*", "ws", "better-sqlite3"],
  // Bundled CommonJS dependencies (commander) call require() for Node's modules.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "eof",
  plugins: [importMetaUrlAsBuilt],
  logLevel: "warning",
});
chmodSync(at("dist/bin/memoconductor.js"), 0o755);
