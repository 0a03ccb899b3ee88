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
// dist/.build-inputs holds a hash of what the build read (the sources it compiles and bundles,
// the configs, the lockfile); `node scripts/build.js --fresh` exits 0 when dist/ was built from
// exactly the files there are now, 1 otherwise, and builds nothing — package/consumer.test.ts
// then packs dist/ as it is (`npm pack --ignore-scripts`) instead of building it again.
// The build is made in a fresh staging directory and swapped in for dist/ at the end (two
// renames): a file deleted from the sources does not live on in the package, and whatever runs
// dist/ meanwhile — the test suite's manual examples while its pack test builds — never meets
// a half-built or missing dist/. The replaced one is removed by the next build.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

// The options the tests' bundle of the sources shares (cli/_test/cli-bundle.ts); see the file's note.
const { "//": _why, ...shared } = JSON.parse(await readFile(new URL("./cli-bundle.json", import.meta.url), "utf8"));

const root = fileURLToPath(new URL("../", import.meta.url));
const at = (rel) => fileURLToPath(new URL(rel, new URL("../", import.meta.url)));
const STAGE = `.dist-staging-${process.pid}`;
const out = (rel) => at(`${STAGE}/${rel}`);
const BIN = out("bin");

/** A hash of every file the build reads: the source trees (tests aside), configs and lockfile. */
function inputsHash() {
  const hash = createHash("sha256");
  const add = (rel) =>
    hash
      .update(`${rel}\0`)
      .update(readFileSync(at(rel)))
      .update("\0");
  const walk = (rel) => {
    for (const e of readdirSync(at(rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile() && !e.name.endsWith(".test.ts")) add(child);
    }
  };
  for (const dir of ["core", "sql", "sim", "cli", "viz", "node", "cluster"]) walk(dir);
  for (const f of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "scripts/build.js", "scripts/cli-bundle.json"]) if (existsSync(at(f))) add(f);
  return hash.digest("hex");
}

if (process.argv.includes("--fresh")) {
  const stamp = at("dist/.build-inputs");
  process.exit(existsSync(stamp) && readFileSync(stamp, "utf8") === inputsHash() ? 0 : 1);
}
const inputs = inputsHash();

// What earlier builds left: their staging (if one stopped half-way) and the dist/ they replaced.
for (const f of readdirSync(root)) if (/^\.dist-(staging|old)-\d+$/.test(f)) rmSync(at(f), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", STAGE], { cwd: root, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

for (const f of readdirSync(at("viz/page"))) {
  if (/\.(js|css)$/.test(f)) cpSync(at(`viz/page/${f}`), out(`viz/page/${f}`));
}

/** Each bundled source file's import.meta.url becomes the URL of its compiled twin in dist/. */
const importMetaUrlAsBuilt = {
  name: "import-meta-url-as-built",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
      const twin = relative(BIN, out(relative(root, args.path).replace(/\.ts$/, ".js")))
        .split(sep)
        .join("/");
      return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(twin)}, import.meta.url).href`), loader: "ts" };
    });
  },
};

await build({
  ...shared,
  entryPoints: { memoconductor: at("cli/main.ts") },
  outdir: BIN,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "eof",
  plugins: [importMetaUrlAsBuilt],
  logLevel: "warning",
});
chmodSync(out("bin/memoconductor.js"), 0o755);
writeFileSync(out(".build-inputs"), inputs);

// The replaced dist/ stays until the next build: a CLI started from it may still load a chunk.
if (existsSync(at("dist"))) renameSync(at("dist"), at(`.dist-old-${process.pid}`));
renameSync(at(STAGE), at("dist"));
