/**
 * `npm run playground:build`: bundles the page (playground/page/main.ts, which imports the very
 * core/, sim/ and viz/layout sources the CLI runs) into dist/playground/: index.html, app.js and
 * playground.css. A classic script (IIFE), not an ES module: Chromium refuses module scripts
 * from file://, and index.html must also work opened as a file.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { browserSeam } from "./browser-seam.ts";

const at = (rel: string) => fileURLToPath(new URL(rel, new URL("../../", import.meta.url)));
export const PLAYGROUND_DIR = at("dist/playground");

export async function buildPlayground(outDir = PLAYGROUND_DIR): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [at("playground/page/main.ts")],
    outfile: `${outDir}/app.js`,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    // The package's own source condition, as the tests use: the sources, not a stale dist/.
    conditions: ["memoconductor-source"],
    plugins: [browserSeam],
    inject: [at("playground/build/shims/buffer.ts")],
    // The sources read import.meta.url to find files beside them; a classic script has none, and
    // the page reads no files: a fixed, non-.ts name (not "running from source") stands in.
    define: { "import.meta.url": JSON.stringify("memoconductor-playground:app.js") },
    minify: true,
    legalComments: "eof",
    logLevel: "warning",
  });
  for (const f of ["index.html", "playground.css"]) copyFileSync(at(`playground/page/${f}`), `${outDir}/${f}`);
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = await buildPlayground();
  console.log(`playground built: ${dir}/index.html`);
}
