/**
 * Every example of the manual works when pasted (README.md, docs/*.md; the fence convention is in
 * ./_test/manual.ts). Each page's runnable blocks run in order in a scratch copy of the
 * repository (its top-level entries linked, `reports/` fresh), as a user would paste them there:
 * `sh run` through bash with `npx memoconductor` meaning the package's bin, `ts run` with tsx,
 * `json save=NAME` written as NAME. Blocks quoting a file (`file=PATH`) must quote it verbatim;
 * the example test files they quote run here, imported below.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FENCE_ATTRIBUTES, fences, manualFiles, ROOT, type Fence } from "./_test/manual.ts";
// The example test files the manual quotes: importing them registers their tests here
// (examples/ is outside the suite's include globs on purpose: it is user code).
import "../examples/my-counter.test.ts";
import "../examples/shopping-cart.test.ts";

const REGISTERED_EXAMPLE_TESTS = ["examples/my-counter.test.ts", "examples/shopping-cart.test.ts"];
const EXAMPLE_TIMEOUT_MS = 300_000;

const bin = join(ROOT, (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin.memoconductor!);
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const all = manualFiles().flatMap(fences);
const label = (f: Fence) => `${f.file}:${f.line} \`\`\`${f.lang} ${[...f.attrs].map(([k, v]) => (v === true ? k : `${k}=${v}`)).join(" ")}`;

const scratch: string[] = [];
// rm removes the links, never what they point at.
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A scratch directory standing in for the repository: every top-level entry linked, but `reports/`. */
function scratchRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "mc-manual-"));
  scratch.push(dir);
  for (const entry of readdirSync(ROOT)) {
    if (entry === "reports" || entry === ".git") continue;
    symlinkSync(join(ROOT, entry), join(dir, entry));
  }
  mkdirSync(join(dir, "reports"));
  return dir;
}

/** Spawned, not spawnSync: a blocked worker cannot answer vitest's RPC, which then reports a timeout. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(command, args, { cwd, env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" }, timeout: EXAMPLE_TIMEOUT_MS });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => void (out += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => void (out += t));
  return new Promise((done) => {
    child.on("error", (e) => done({ code: null, out: `${out}${String(e)}` }));
    child.on("close", (code) => done({ code, out }));
  });
}

/** `npx memoconductor …` and `memoconductor …` run the package's bin; nothing else is fetched. */
const shellPrelude = `set -e
npx() { if [ "\${1:-}" = memoconductor ]; then shift; node ${JSON.stringify(bin)} "$@"; else echo "manual example: only npx memoconductor is available here" >&2; return 127; fi; }
memoconductor() { node ${JSON.stringify(bin)} "$@"; }
`;

/** What each `console.log(…); // comment` line of a program promises to print, in order. */
function promisedOutput(program: string): (string | undefined)[] {
  return program
    .split("\n")
    .filter((l) => /^\s*console\.log\(/.test(l))
    .map((l) => /\);\s*\/\/\s*(.*)$/.exec(l)?.[1]);
}

async function runBlock(block: Fence, cwd: string): Promise<void> {
  const { attrs } = block;
  if (typeof attrs.get("save") === "string") {
    const name = attrs.get("save") as string;
    if (block.lang === "json") JSON.parse(block.body); // a pasted file must at least parse
    writeFileSync(join(cwd, name), block.body);
  } else if (attrs.get("run") === true && block.lang === "sh") {
    const r = await run("bash", ["-c", shellPrelude + block.body], cwd);
    expect(r.code, `${label(block)} failed:\n${r.out}`).toBe(0);
  } else if (attrs.get("run") === true && block.lang === "ts") {
    const file = join(cwd, `example-${basename(block.file, ".md")}-${block.line}.ts`);
    writeFileSync(file, block.body);
    const r = await run(process.execPath, ["--import", tsxLoader, file], cwd);
    expect(r.code, `${label(block)} failed:\n${r.out}`).toBe(0);
    const printed = r.out.trimEnd().split("\n");
    const promised = promisedOutput(block.body);
    expect(printed.length, `${label(block)}: ${promised.length} console.log lines, printed:\n${r.out}`).toBe(promised.length);
    promised.forEach((comment, i) => {
      if (comment !== undefined)
        expect(comment.startsWith(printed[i]!), `${label(block)}: printed ${JSON.stringify(printed[i])}, its comment says ${JSON.stringify(comment)}`).toBe(true);
    });
  } else {
    throw new Error(`${label(block)}: no way to run this block (run applies to sh and ts, save names a file)`);
  }
}

describe("the manual's fences", () => {
  it("carry only known attributes", () => {
    const unknown = all.flatMap((f) => [...f.attrs.keys()].filter((k) => !(FENCE_ATTRIBUTES as readonly string[]).includes(k)).map((k) => `${label(f)}: unknown attribute "${k}"`));
    expect(unknown).toEqual([]);
  });

  it("quote their files verbatim", () => {
    const quotes = all.filter((f) => typeof f.attrs.get("file") === "string");
    expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) {
      const path = q.attrs.get("file") as string;
      const text = readFileSync(join(ROOT, path), "utf8");
      const body = q.body.startsWith(`// ${basename(path)}\n`) ? q.body.slice(`// ${basename(path)}\n`.length) : q.body;
      expect(body, `${label(q)} no longer quotes ${path}`).toBe(text);
      if (path.endsWith(".test.ts")) expect(REGISTERED_EXAMPLE_TESTS, `${label(q)}: import ${path} in this file so it runs`).toContain(path);
    }
  });
});

for (const page of manualFiles()) {
  const blocks = fences(page).filter((f) => f.attrs.has("run") || f.attrs.has("save"));
  if (blocks.length === 0) continue;
  describe(`${page}: its examples work when pasted`, () => {
    let cwd = "";
    for (const block of blocks) {
      it(
        label(block),
        async () => {
          cwd ||= scratchRepository();
          await runBlock(block, cwd);
        },
        EXAMPLE_TIMEOUT_MS,
      );
    }
  });
}
