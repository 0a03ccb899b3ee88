/**
 * The shrinker ends a candidate's run at the first violation of the check it preserves, when
 * that check fails during the run (idempotence, strong-convergence, change-events): what follows
 * cannot change the verdict. So it must keep exactly the candidates a whole run would keep —
 * the same shrunk scenario in the same number of runs, and the same final verdict (the kept
 * scenario is run whole once at the end) — while running fewer events.
 */
import { describe, expect, it } from "vitest";
import { CANARIES, CHECK_CANARIES } from "./canaries/index.ts";
import { shrink } from "./shrink.ts";
import { swarmScenario } from "./swarm.ts";
import { judge } from "./verdict.ts";

const cases = [...CANARIES, ...CHECK_CANARIES].filter((c) => c.crdt.kind === "state");

describe("shrinking with candidates stopped at the failure", () => {
  it.each(cases.map((c) => [c.file, c] as const))("%s: the same shrunk scenario, runs and verdict as with whole runs", (_file, c) => {
    // The first failing seed of the sweep, as explore finds it.
    let seed = 1;
    let v = judge(swarmScenario(seed, { crdt: c.crdt, spec: c.crdt.name }, { freshText: true }), c.crdt, c.crdt.name).verdict;
    while (v.ok && seed < 50) v = judge(swarmScenario(++seed, { crdt: c.crdt, spec: c.crdt.name }, { freshText: true }), c.crdt, c.crdt.name).verdict;
    expect(v.ok, `no failing seed in 1..50 for ${c.file}`).toBe(false);
    const original = swarmScenario(seed, { crdt: c.crdt, spec: c.crdt.name }, { freshText: true });
    const check = v.failed[0]!;
    const early = shrink(original, c.crdt, c.crdt.name, check);
    const whole = shrink(original, c.crdt, c.crdt.name, check, { stopEarly: false });
    expect(early.scenario).toEqual(whole.scenario);
    expect(early.runs).toBe(whole.runs);
    expect(early.verdict).toEqual(whole.verdict);
  });

  it("a stopped candidate is judged by its check alone, with the signature it stopped at", () => {
    const c = CANARIES.find((x) => x.file === "adding-counter.ts")!;
    const sc = swarmScenario(1, { crdt: c.crdt, spec: c.crdt.name });
    const full = judge(sc, c.crdt, c.crdt.name).verdict;
    const check = full.failed.find((x) => x === "idempotence" || x === "strong-convergence")!;
    expect(check, `seed 1 of ${c.file} fails no in-run check: ${full.failed.join(", ")}`).toBeDefined();
    const signature = full.signatures[full.failed.indexOf(check)]!;
    const stopped = judge(sc, c.crdt, c.crdt.name, false, [], { check, signature }).verdict;
    expect(stopped).toMatchObject({ ok: false, failed: [check], signatures: [signature] });
    // The whole run fails other checks too: the stopped one never got to them.
    expect(full.failed.length).toBeGreaterThan(1);
  });
});
