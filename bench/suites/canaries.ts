/**
 * The canary table: every must-fail canary and every real-library bug class the harness has a
 * specimen of, with how many swarm seeds `explore` needed to find it, what the shrinker left of
 * it, and (for the ones that break a law) how many random histories `laws` needed. These are
 * verdicts, not timings: the same on any machine (explore and laws are seeded); the wall time of
 * each hunt is in the note. docs/benchmarks.md renders them as one table (bench/benchmarks-md.ts,
 * canaryTable), which docs/finding-bugs.md links to.
 *
 * Rows per specimen `<label>`: `<label>: seeds` (seeds to find; the note: check and signature),
 * `<label>: shrunk` (steps of the shrunk scenario; the note: nodes, ops, faults, shrink runs) and,
 * with a law, `<label>: laws` (histories to find; the note: the law).
 */
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

/** What is hunted: a plugin module (by path) or a contract object; `laws` when it breaks one. */
type Specimen = { label: string; target: string | Crdt; laws?: Crdt; runs?: number };

export const SPECIMENS: readonly Specimen[] = [
  ...CANARIES.map((c) => ({ label: `canary ${c.file} — ${c.bug}`, target: join(canaryDir, c.file), laws: c.crdt })),
  ...CHECK_CANARIES.map((c) => ({ label: `canary ${c.file} — ${c.bug}`, target: join(canaryDir, c.file) })),
  { label: "stand-in for Automerge 0.4.2 — concurrent list inserts collide, one is kept everywhere", target: collidingList, laws: collidingList },
  { label: "stand-in for delta-crdts 0.8.2 RGA — a join that throws on a gap", target: gapRefusing },
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

async function hunt(s: Specimen): Promise<BenchRow[]> {
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
    rows.push({ suite: name, name: `${s.label}: shrunk`, value: z.steps, unit: "steps", note: `${z.nodes} nodes, ${z.ops} ops, ${z.faults} faults; ${f.shrunk.runs} shrink runs` });
  }
  if (s.laws) {
    const l = checkLaws(s.laws, { runs: 1000 });
    rows.push({
      suite: name,
      name: `${s.label}: laws`,
      value: l.failure ? l.failure.failedAfter : 1000,
      unit: "histories",
      note: l.failure ? l.failure.law : "no law broken in 1000 histories",
    });
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const s of SPECIMENS) {
    // Each specimen is a step of the bench's step budget (bench/step.ts).
    if (!step(s.label)) continue;
    process.stderr.write(`bench: canaries: ${s.label}\n`);
    const got = await hunt(s);
    rows.push(...got);
    emit(got);
  }
  return rows;
}
