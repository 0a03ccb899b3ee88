/**
 * The canary table: every must-fail canary and every real-library bug class the harness has a
 * specimen of, with how many swarm seeds `explore` needed to find it, what the shrinker left of
 * it, and (for the ones that break a law) how many random histories `laws` needed. These are
 * verdicts, not timings: the same on any machine (explore and laws are seeded); the wall time of
 * each hunt is in the note. docs/benchmarks.md renders them as one table (bench/benchmarks-md.ts,
 * canaryTable), which docs/finding-bugs.md links to.
 *
 * Real libraries at the versions that had the bugs live in examples/<name>/ with their own
 * package.json (not the project's dependencies): the suite installs one on demand (`npm install
 * --prefix examples/<name>`, said on stderr) and hunts the library itself; where that fails
 * (offline) it hunts the stand-in written after the bug and its row says so.
 *
 * Rows per specimen `<label>`: `<label>: seeds` (seeds to find; the note: check and signature),
 * `<label>: shrunk` (steps of the shrunk scenario; the note: nodes, ops, faults, shrink runs) and,
 * with a law, `<label>: laws` (histories to find; the note: the law).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Crdt } from "../../core/contract.ts";
import { collidingList } from "../../sim/checkers/fixtures/colliding-list.ts";
import { gapRefusing } from "../../sim/checkers/fixtures/gap-refusing-log.ts";
import { CANARIES, CHECK_CANARIES } from "../../sim/explore/canaries/index.ts";
import { DEFAULT_EXPLORE_RUNS, explore } from "../../sim/explore/explore.ts";
import { sizeOf } from "../../sim/explore/shrink.ts";
import { checkLaws } from "../../sim/laws/check-laws.ts";
import { emit, step } from "../step.ts";
import type { BenchRow } from "../types.ts";

export const name = "canaries";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const canaryDir = join(root, "sim", "explore", "canaries");

/**
 * What is hunted: a plugin module (by path) or a contract object; `laws` when it breaks one (or
 * to show it breaks none). `lawRuns`: histories for `laws` (default 1,000), fewer for a library
 * too slow for that, said in its row. `budgetS`: its own step budget (bench/step.ts), for a hunt
 * measured to need more than the step budget.
 */
type Specimen = { label: string; target: string | Crdt; laws?: Crdt; runs?: number; lawRuns?: number; budgetS?: number };

const LAW_RUNS = 1000;

/** A real library at the version that had the bug: examples/<dir>/ (its own package.json) and the adapter there. */
type RealLibrary = { dir: string; pkg: string; adapter: string; label: string; standIn: Specimen; lawRuns?: number };

export const REAL_LIBRARIES: readonly RealLibrary[] = [
  {
    dir: "automerge-0.4.2",
    pkg: "automerge",
    adapter: "automerge-text.mjs",
    label: "Automerge 0.4.2 — list elements disappear, the same ones everywhere (fixed in 0.4.3)",
    // It breaks no law (every replica agrees on the wrong text), so laws runs to its count: 1,000
    // histories took 17 s of CPU (0.4.2 rebuilds the whole document from its op set on every
    // change), the row's largest part. 200 say the same, and the row says 200.
    lawRuns: 200,
    standIn: { label: "stand-in for Automerge 0.4.2 — concurrent list inserts collide, one is kept everywhere", target: collidingList, laws: collidingList },
  },
  {
    dir: "delta-crdts-0.8.2",
    pkg: "delta-crdts",
    adapter: "rga-text.mjs",
    label: "delta-crdts 0.8.2 RGA — a join that throws on a missing vertex (js-delta-crdts #38)",
    standIn: { label: "stand-in for delta-crdts 0.8.2 RGA — a join that throws on a gap", target: gapRefusing },
  },
];

/**
 * The library itself when examples/<dir> has it (installing it there if not), else its stand-in.
 * `install: false` only looks.
 */
export async function realOrStandIn(lib: RealLibrary, install = true): Promise<Specimen> {
  const dir = join(root, "examples", lib.dir);
  const installed = () => existsSync(join(dir, "node_modules", lib.pkg, "package.json"));
  if (!installed() && install) {
    process.stderr.write(
      `bench: canaries: installing ${lib.pkg} for ${lib.label.split(" — ")[0]}: npm install --prefix examples/${lib.dir} (its own package.json, not the project's)\n`,
    );
    const r = spawnSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--no-save"], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) process.stderr.write(`bench: canaries: could not install ${lib.pkg} (exit ${r.status ?? r.error?.message}); using the stand-in\n`);
  }
  if (!installed()) return { ...lib.standIn, label: `${lib.standIn.label} (${lib.pkg} not installed in examples/${lib.dir})` };
  const target = join(dir, lib.adapter);
  const laws = (await import(target)) as { default: Crdt };
  return { label: `${lib.label}, the real library`, target, laws: laws.default, ...(lib.lawRuns !== undefined && { lawRuns: lib.lawRuns }) };
}

export const SPECIMENS: readonly Specimen[] = [
  ...CANARIES.map((c) => ({ label: `canary ${c.file} — ${c.bug}`, target: join(canaryDir, c.file), laws: c.crdt })),
  ...CHECK_CANARIES.map((c) => ({ label: `canary ${c.file} — ${c.bug}`, target: join(canaryDir, c.file) })),
  {
    label: "Yjs 13.6.33 via the first adapter — a copy that integrates an edit Yjs holds pending",
    target: join(root, "scenarios", "plugins", "fixtures", "yjs-text-fresh-copy.ts"),
  },
  {
    label: "Yjs 13.6.33 claiming no interleaving — a run typed after deleted text split by a concurrent insert",
    target: join(root, "scenarios", "plugins", "fixtures", "yjs-text-claims-no-interleaving.ts"),
  },
  {
    label: "Automerge 3 via the first adapter — a queued change invisible to a whole-document merge",
    target: join(root, "scenarios", "plugins", "fixtures", "automerge-text-queued.ts"),
    laws: (await import("../../scenarios/plugins/fixtures/automerge-text-queued.ts")).default,
  },
];

export async function hunt(s: Specimen): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const runs = s.runs ?? DEFAULT_EXPLORE_RUNS;
  const t0 = performance.now();
  const r = await explore(s.target, { runs, jobs: typeof s.target === "string" ? 2 : 1 });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  const f = r.failure;
  rows.push({
    suite: name,
    name: `${s.label}: seeds`,
    value: f ? f.seed - r.firstSeed + 1 : runs,
    unit: "seeds",
    note: f ? `${f.check} (${f.signature}); ${secs} s with the shrink` : `not found in ${runs} seeds (${secs} s)`,
  });
  if (f?.shrunk) {
    const z = sizeOf(f.shrunk.scenario);
    rows.push({
      suite: name,
      name: `${s.label}: shrunk`,
      value: z.steps,
      unit: "steps",
      note: `${z.nodes} nodes, ${z.ops} ops, ${z.faults} faults${z.fates ? `, ${z.fates} named message fates` : ""}; ${f.shrunk.runs} shrink runs`,
    });
  }
  if (s.laws) {
    const lawRuns = s.lawRuns ?? LAW_RUNS;
    const l = checkLaws(s.laws, { runs: lawRuns });
    rows.push({
      suite: name,
      name: `${s.label}: laws`,
      value: l.failure ? l.failure.failedAfter : lawRuns,
      unit: "histories",
      note: l.failure ? l.failure.law : `no law broken in ${lawRuns} histories`,
    });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const real: Specimen[] = [];
  for (const lib of REAL_LIBRARIES) real.push(await realOrStandIn(lib));
  const all = [...SPECIMENS.slice(0, CANARIES.length + CHECK_CANARIES.length), ...real, ...SPECIMENS.slice(CANARIES.length + CHECK_CANARIES.length)];
  for (const s of all) {
    // Each specimen is a step of the bench's step budget (bench/step.ts).
    if (!step(s.label, s.budgetS)) continue;
    process.stderr.write(`bench: canaries: ${s.label}\n`);
    const got = await hunt(s);
    rows.push(...got);
    emit(got);
  }
  return rows;
}
