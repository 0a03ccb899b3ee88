// `npm run build` (and prepare/prepack): the sources compiled into dist/ — JavaScript with its
// .d.ts beside it — plus the files the built code reads from disk next to itself (the timeline
// page's script and CSS, inlined into every timeline.html). dist/ is removed first, so a file
// deleted from the sources does not live on in the package.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const at = (rel) => fileURLToPath(new URL(rel, new URL("../", import.meta.url)));

rmSync(at("dist"), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

for (const f of readdirSync(at("viz/page"))) {
  if (/\.(js|css)$/.test(f)) cpSync(at(`viz/page/${f}`), at(`dist/viz/page/${f}`));
}
chmodSync(at("dist/cli/main.js"), 0o755);
