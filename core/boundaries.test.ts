/**
 * The dependency flow is one way (scenario → sim → run → viz → reports) and core/ is pure:
 * these tests read the import lines of every source file and fail on an import that crosses
 * a boundary the wrong way, on cli/ reaching past the public index modules, and on any import
 * cycle.
 *
 * Imports are read with the TypeScript compiler's own import scanner (ts.preProcessFile): it
 * sees static, dynamic, type-only and side-effect imports and re-exports, and ignores text in
 * comments and strings — no regex over source text, and no extra dependency for the cycle gate
 * (dpdm or madge would pull in a bundle of packages to do the same walk).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["core", "sql", "sim", "viz", "cli", "node", "cluster", "bench", "scenarios", "examples", "tools", "playground"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // An example's own installed packages (examples/<name>/node_modules, installed on demand by
    // the canaries bench) are not ours.
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...sourceFiles(path));
    } else if (/\.(ts|js)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Every module specifier a file imports (static, dynamic, type-only, side-effect and re-exports). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** A relative specifier as a path from the repository root. */
const target = (file: string, spec: string) => relative(root, resolve(root, dirname(file), spec));

const isTest = (f: string) => f.endsWith(".test.ts") || f.includes("/_test/");

/** Test-only packages core/'s tests may use; `typescript` is this file's import scanner. */
const CORE_TEST_PACKAGES = new Set(["vitest", "fast-check", "typescript"]);

/**
 * The modules of core, sim and viz that cli/ may import: their public index modules, and sim's
 * light entry (sim/simulate.ts: load and run, without the explorer and fast-check, so that
 * `run` and `list` start at once) and its Node-only one (sim/node-only.ts: the thread CPU clock and
 * the worker bundler, which the browser build of the light entry must not reach); sim/index.ts
 * re-exports both.
 */
const PUBLIC_INDEX = new Set(["core/index.ts", "sql/index.ts", "sim/index.ts", "sim/simulate.ts", "sim/node-only.ts", "viz/index.ts"]);

/** What cli/'s tests may use besides: the test helpers (`_test/`) and the headless-Chromium harness. */
const isTestHarness = (t: string) => t.includes("/_test/") || t.startsWith("viz/browser/");

/** The repository's import graph: file → the files it imports (relative imports that resolve to a file). */
function importGraph(): Map<string, string[]> {
  const files = SOURCE_DIRS.filter((d) => existsSync(join(root, d))).flatMap(sourceFiles);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps = importsOf(file)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => target(file, spec))
      .filter((t) => existsSync(join(root, t)));
    graph.set(file, [...new Set(deps)].sort());
  }
  return graph;
}

/**
 * The import cycles of `graph`, one per strongly connected component (Tarjan), each as a path
 * `a → b → … → a`. Deterministic: files and their imports are visited in sorted order.
 */
export function importCycles(graph: Map<string, string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    const selfLoop = (graph.get(v) ?? []).includes(v);
    if (component.length > 1 || selfLoop) components.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((c) => cyclePath(graph, new Set(c)));
}

/** One concrete cycle inside a strongly connected component, from its first file back to it. */
function cyclePath(graph: Map<string, string[]>, component: Set<string>): string {
  const start = [...component][0] ?? "";
  // Breadth-first from start's imports back to start, staying inside the component.
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i] ?? "";
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w) || parent.has(w)) continue;
      parent.set(w, v);
      if (w === start) {
        const back: string[] = [];
        for (let u = v; u !== start; u = parent.get(u) ?? start) back.push(u);
        return [start, ...back.reverse(), start].join(" → ");
      }
      queue.push(w);
    }
  }
  return [...component].join(" ↔ ");
}

describe("module boundaries", () => {
  it("core/ imports nothing outside core/ but Node built-ins (tests may use vitest and fast-check)", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("core")) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith(".")) {
          if (!target(file, spec).startsWith("core/")) offenders.push(`${file} imports ${spec}`);
        } else if (!spec.startsWith("node:") && !(isTest(file) && CORE_TEST_PACKAGES.has(spec))) {
          offenders.push(`${file} imports package ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("sql/ uses core only through core/index.ts, nothing of sim/viz/cli, and no package but its SQL parser (tests: vitest, fast-check)", () => {
    // sql/ is a library over core's public API: the node and the simulator both plug a store into it.
    const offenders: string[] = [];
    for (const file of sourceFiles("sql")) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith(".")) {
          const t = target(file, spec);
          if (!t.startsWith("sql/") && t !== "core/index.ts" && !(isTest(file) && t.startsWith("core/_test/"))) offenders.push(`${file} imports ${t}`);
        } else if (!spec.startsWith("node:") && spec !== "pgsql-ast-parser" && !(isTest(file) && CORE_TEST_PACKAGES.has(spec))) offenders.push(`${file} imports package ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("sim/ and node/ use sql/ only through sql/index.ts (and node/sql-read, the second executor, through sql/engine.ts)", () => {
    const offenders = [...sourceFiles("sim"), ...sourceFiles("node")].flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => t.startsWith("sql/") && t !== "sql/index.ts" && !(t === "sql/engine.ts" && file.startsWith("node/sql-read/")))
        .map((t) => `${file} imports ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("sim/ never imports cli/ or viz/", () => {
    const offenders = sourceFiles("sim").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => t.startsWith("cli/") || t.startsWith("viz/"))
        .map((t) => `${file} imports ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("nothing imports playground/: the page is a client of sim and viz, bundled on its own (its bench and tests aside)", () => {
    const offenders = SOURCE_DIRS.filter((d) => d !== "playground" && existsSync(join(root, d)))
      .flatMap(sourceFiles)
      .filter((file) => !(file.startsWith("bench/") && file.includes("playground")))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => spec.startsWith("."))
          .map((spec) => target(file, spec))
          .filter((t) => t.startsWith("playground/"))
          .map((t) => `${file} imports ${t}`),
      );
    expect(offenders).toEqual([]);
  });

  it("cli/ uses node/ only through node/index.ts (tests may also use node's test helpers)", () => {
    const offenders = sourceFiles("cli").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => t.startsWith("node/") && t !== "node/index.ts" && !(isTest(file) && t.startsWith("node/_test/")))
        .map((t) => `${file} imports ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("cli/ uses core, sim and viz only through their public index modules (tests may also use the test harness)", () => {
    // The CLI is a client of the library like any other: what it needs is public API, listed
    // in core/index.ts, sim/index.ts and viz/index.ts, so internals can move without breaking it.
    const offenders = sourceFiles("cli").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => /^(core|sql|sim|viz)\//.test(t) && !PUBLIC_INDEX.has(t) && !(isTest(file) && isTestHarness(t)))
        .map((t) => `${file} imports ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("cluster/ uses core, sim, node and viz only through their index modules and never imports cli/; only cli/ (and bench/) import cluster/, through cluster/index.ts", () => {
    // Cluster mode is a client of the library and of the node, like the CLI is; the CLI is its one front end.
    const fromCluster = sourceFiles("cluster").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => (/^(core|sql|sim|viz|node)\//.test(t) && !["core/index.ts", "sim/index.ts", "viz/index.ts", "node/index.ts"].includes(t)) || t.startsWith("cli/"))
        .map((t) => `${file} imports ${t}`),
    );
    const intoCluster = ["core", "sql", "sim", "viz", "node", "cli", "bench"].flatMap(sourceFiles).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => t.startsWith("cluster/") && (!/^(cli|bench)\//.test(file) || t !== "cluster/index.ts"))
        .map((t) => `${file} imports ${t}`),
    );
    expect([...fromCluster, ...intoCluster]).toEqual([]);
  });

  it("node/ uses core only through core/index.ts (tests may also use core's test harness) and never imports sim/, viz/ or cli/; sim/ and viz/ never import node/", () => {
    // The node is a client of core like the CLI: the code the simulator verifies, through its
    // public API. The simulator and the viewers stay free of I/O, so they never reach the node.
    const fromNode = sourceFiles("node").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => (t.startsWith("core/") && t !== "core/index.ts" && !(isTest(file) && t.includes("/_test/"))) || /^(sim|viz|cli)\//.test(t))
        .map((t) => `${file} imports ${t}`),
    );
    const intoNode = [...sourceFiles("sim"), ...sourceFiles("viz")].flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => target(file, spec))
        .filter((t) => t.startsWith("node/"))
        .map((t) => `${file} imports ${t}`),
    );
    expect([...fromNode, ...intoNode]).toEqual([]);
  });

  it("no import cycles anywhere (type-only imports included)", () => {
    // A cycle makes module initialisation order decide whether a binding exists yet, and welds
    // the modules on it into one unit; even a type-only cycle means neither side can be read
    // or moved alone. Break one by moving the shared piece into a module of its own.
    expect(importCycles(importGraph())).toEqual([]);
  });

  it("the cycle finder finds a cycle, names it, and passes a graph without one", () => {
    const cyclic = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
    ]);
    expect(importCycles(cyclic)).toEqual(["a.ts → b.ts → c.ts → a.ts"]);
    expect(importCycles(new Map([["x.ts", ["x.ts"]]]))).toEqual(["x.ts → x.ts"]);
    expect(
      importCycles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).toEqual([]);
  });
});
