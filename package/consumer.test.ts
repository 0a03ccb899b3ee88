/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepare`, unless dist/
 * was built from exactly the files there are now — `node scripts/build.js --fresh` — when it is
 * packed as it is, with --ignore-scripts: the same tarball, without ~19 s of CPU), the tarball
 * installed into a fresh project with no network (npm's cache only; see consumer-lock.ts), and
 * then, in that project:
 * - a plain `node` ESM script imports memoconductor/core and memoconductor/sim and runs simulate;
 * - a CommonJS script require()s them;
 * - memoconductor/node imports without better-sqlite3 (left out of the install), and opening a
 *   node says in one line what to install;
 * - `tsc --noEmit` — strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck
 *   off — gives 0 errors against the shipped .d.ts;
 * - a vitest test uses explore and the law checker on the consumer's own plugin;
 * - `npx memoconductor run` runs a scenario with a .ts plugin (tsx, registered on demand) and one
 *   with a .js plugin, and the gallery's own .ts-plugin scenario from inside node_modules.
 * Packing or installing failing is a failure of this test, never a skip.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerLock, type Lockfile } from "./consumer-lock.ts";

const ROOT = join(import.meta.dirname, "..");
const TEMPLATE = join(import.meta.dirname, "consumer");
const TOOLS = ["typescript", "vitest", "@types/node"] as const;

type Result = { code: number | null; stdout: string; stderr: string };

/** Runs a command to its end (killed after `timeoutMs`); never rejects. */
function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Result> {
  // npm_config_* from an enclosing `npm test` would reach the child npm (e.g. a --prefix).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return new Promise((done) =>
    execFile(
      cmd,
      args,
      { cwd, env: { ...env, NO_COLOR: "1", MEMOCONDUCTOR_DEBUG: "" }, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (e, stdout, stderr) => done({ code: e ? (typeof e.code === "number" ? e.code : null) : 0, stdout, stderr }),
    ),
  );
}

const shown = (what: string, r: Result) => `${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;

function ok(what: string, r: Result): Result {
  if (r.code !== 0) throw new Error(shown(what, r));
  return r;
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";

let tmp = "";
let app = "";
let shipped: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "memoconductor-consumer-"));
  app = join(tmp, "app");
  cpSync(TEMPLATE, app, { recursive: true });
  mkdirSync(join(app, "pack"));
  const fresh = (await run(process.execPath, [join(ROOT, "scripts/build.js"), "--fresh"], ROOT)).code === 0;
  const pack = ok("npm pack", await run(NPM, ["pack", "--json", ...(fresh ? ["--ignore-scripts"] : []), "--pack-destination", join(app, "pack")], ROOT, 240_000));
  const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as [{ filename: string; files: { path: string }[] }];
  const filename = packed.filename;
  shipped = packed.files.map((f) => f.path).sort();
  const repoPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const repoLock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as Lockfile;
  const { dependencies, lock } = consumerLock(repoLock, repoPackage, { tarball: join(app, "pack", filename), tarballSpec: `file:pack/${filename}`, tools: TOOLS });
  const manifest = { name: "consumer", private: true, type: "module", dependencies, overrides: repoPackage.overrides };
  writeFileSync(join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(app, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  // better-sqlite3 (memoconductor's optionalDependency, for the node's disk) is not in the
  // consumer's lock (consumer-lock.ts takes the closure of `dependencies` only), so it is not
  // installed: an offline install could not build it (it compiles from source, ~1 min, with
  // headers from the network), and a user of core and sim never needs it. Not `--omit=optional`:
  // that would also drop the platform binaries tsx's esbuild and vitest's rollup need. The
  // consumer then checks that memoconductor/node still imports and says what to install.
  ok("npm ci --offline (in the consumer)", await run(NPM, ["ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], app, 240_000));
}, 480_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the packed tarball, installed offline into a fresh project", () => {
  it("ships built JavaScript and types, not the sources, tests or benchmark data", () => {
    expect(shipped).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "dist/bin/memoconductor.js",
        "dist/sim/index.js",
        "dist/sim/index.d.ts",
        "dist/viz/page/timeline.js",
        "scenarios/scenario.schema.json",
      ]),
    );
    // TypeScript outside dist/ only as the gallery's example plugins, which scenarios name.
    expect(shipped.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.startsWith("scenarios/plugins/"))).toEqual([]);
    expect(shipped.filter((f) => /\.test\.|(^|\/)(_test|fixtures|bench)\//.test(f))).toEqual([]);
  });

  it("plain node (ESM) imports memoconductor/core and memoconductor/sim and runs simulate", async () => {
    const r = ok("node plain-node.mjs", await run(process.execPath, ["plain-node.mjs"], app));
    expect(JSON.parse(r.stdout)).toEqual({ cart: true, final: expect.any(Object), gallery: true, core: ["function", "function", "function"] });
  });

  it("memoconductor/node imports without better-sqlite3; opening a node (API or `memoconductor node`) says in one line what to install", async () => {
    const r = ok("node node-api.mjs", await run(process.execPath, ["node-api.mjs"], app));
    expect(JSON.parse(r.stdout)).toEqual({ api: ["function", "function", "function"], message: "better-sqlite3 is not installed: npm install better-sqlite3@12" });
    const cmd = await run(NPX, ["--offline", "memoconductor", "node", "--data", "node-data"], app);
    expect([cmd.code, cmd.stdout, cmd.stderr]).toEqual([1, "", "memoconductor node: cannot start: better-sqlite3 is not installed: npm install better-sqlite3@12\n"]);
  });

  it("the README's check.mjs, pasted as it is, passes", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const block = /```js\n(\/\/ check\.mjs[^\n]*\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "README.md has a ```js block starting with // check.mjs").toBeDefined();
    writeFileSync(join(app, "check.mjs"), block!);
    expect(ok("node check.mjs", await run(process.execPath, ["check.mjs"], app)).stdout).toBe("pass\n");
  });

  it("CommonJS require() of memoconductor/sim and memoconductor/core works", async () => {
    const r = ok("node commonjs.cjs", await run(process.execPath, ["commonjs.cjs"], app));
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, gCounter: "g-counter" });
  });

  it("a strict tsc (noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck off) finds 0 errors", async () => {
    const r = await run(process.execPath, [join(app, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."], app);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a vitest test uses explore and the law checker", async () => {
    const r = ok("vitest run", await run(process.execPath, [join(app, "node_modules/vitest/vitest.mjs"), "run", "explore.test.ts"], app));
    expect(r.stdout).toMatch(/3 passed/);
  });

  it("npx memoconductor run: a scenario with a .ts plugin, one with a .js plugin, and the gallery's .ts-plugin scenario", async () => {
    const r = ok(
      "npx memoconductor run",
      await run(
        NPX,
        [
          "--offline",
          "memoconductor",
          "run",
          "scenarios/ts-plugin.json",
          "scenarios/js-plugin.json",
          "node_modules/memoconductor/scenarios/youtube-view-counter-naive.json",
          "--json",
          "--out",
          "runs",
        ],
        app,
      ),
    );
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { scenario: string; ok: boolean });
    expect(lines.map((l) => [l.scenario, l.ok])).toEqual([
      ["ts-plugin-partition", true],
      ["js-plugin-partition", true],
      ["youtube-view-counter-naive", true],
    ]);
  });

  it("npx memoconductor --help and list answer", async () => {
    expect(ok("--help", await run(NPX, ["--offline", "memoconductor", "--help"], app)).stdout).toMatch(/Usage: memoconductor/);
    expect(ok("list", await run(NPX, ["--offline", "memoconductor", "list"], app)).stdout).toMatch(/or-set-add-wins/);
  });
});
