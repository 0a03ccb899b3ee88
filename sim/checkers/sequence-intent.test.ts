/**
 * The sequence checks (sequence-intent.ts): rga keeps what was typed in place and runs whole;
 * lseq keeps it in place but interleaves concurrent runs (and declares it); a text that loses a
 * character every replica agrees on is caught by sequence-intent alone, in explore too.
 */
import { describe, expect, it } from "vitest";
import type { Scenario, Step } from "../scenario/types.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import type { Crdt } from "../../core/contract.ts";
import { explore } from "../explore/explore.ts";
import { collidingList } from "./fixtures/colliding-list.ts";

/** Two partitioned replicas type `a` and `b` one character per step at one place (backwards: each at index 0). */
function typing(crdt: string, a: string, b: string, backwards = false, checks: Record<string, boolean> = {}): Scenario {
  const steps: Step[] = [{ at: 0, partition: [["a"], ["b"]] }];
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    for (const [node, text] of [
      ["a", a],
      ["b", b],
    ] as const)
      if (i < text.length) steps.push({ at: 10 + i, node, op: "insert", args: [backwards ? 0 : i, text[i]!] });
  steps.push({ at: 100, heal: true });
  return { name: `typing-${crdt}`, nodes: ["a", "b"], crdt, steps, duration: 1000, ...(Object.keys(checks).length > 0 ? { expect: { checks } } : {}) };
}

function run(sc: Scenario, crdt: Crdt = resolveAnyBuiltin(sc.crdt as string) as Crdt) {
  const r = runSimulation(sc, crdt, { seed: 1, trace: false, crdtName: crdt.name });
  const check = (name: string) => r.summary.checks.find((c) => c.name === name);
  return { final: Object.values(r.summary.final)[0], check, summary: r.summary };
}

describe("sequence checks", () => {
  it.each([false, true])("rga: concurrent runs at one place stay whole and in place (backwards: %s)", (backwards) => {
    const r = run(typing("rga", "abcde", "vwxyz", backwards));
    expect(r.final).toMatch(backwards ? /^(edcbazyxwv|zyxwvedcba)$/ : /^(abcdevwxyz|vwxyzabcde)$/);
    expect(r.check("sequence-intent")).toMatchObject({ ok: true });
    expect(r.check("no-interleaving")).toMatchObject({ ok: true });
  });

  it("lseq keeps every character in place, but interleaves concurrent runs: checked only when named", () => {
    const plain = run(typing("lseq", "abcde", "vwxyz"));
    expect(plain.final).toBe("avbwcxdyez");
    expect(plain.check("sequence-intent")).toMatchObject({ ok: true });
    expect(plain.check("no-interleaving")).toBeUndefined();
    const named = run(typing("lseq", "abcde", "vwxyz", false, { "no-interleaving": true }));
    expect(named.check("no-interleaving")?.ok).toBe(false);
    expect(named.check("no-interleaving")?.detail).toMatch(/"v" \(typed by b at t=10\) stands inside a's run "ab" \(typed forwards\), typed concurrently at the same place/);
  });

  it("a character typed twice: the checks say they cannot follow it, and fail when the scenario named them", () => {
    expect(run(typing("rga", "aa", "b")).check("sequence-intent")).toBeUndefined();
    const named = run(typing("rga", "aa", "b", false, { "sequence-intent": true }));
    expect(named.check("sequence-intent")).toMatchObject({ ok: false });
    expect(named.check("sequence-intent")?.detail).toMatch(/^not checked: "a" was typed twice \(a's text shows it twice after its update at t=11\)/);
  });

  it("wrong but agreed: a text that loses one of two characters typed at one place converges, and only sequence-intent fails", () => {
    const r = run(typing("colliding-list", "x", "y"), collidingList);
    expect(r.final).toBe("y");
    expect(r.check("convergence")).toMatchObject({ ok: true });
    expect(r.check("strong-convergence")).toMatchObject({ ok: true });
    expect(r.check("sequence-intent")?.ok).toBe(false);
    expect(r.check("sequence-intent")?.detail).toMatch(/^a lost "x" \(typed by a at t=10\): never deleted, not in its text/);
  });

  it("explore finds the lost character and shrinks it (fresh characters per insert)", async () => {
    const r = await explore(collidingList, { runs: 50 });
    expect(r.failure?.check).toBe("sequence-intent");
    expect(r.failure?.shrunk?.scenario.steps?.filter((s) => "op" in s).length).toBeLessThanOrEqual(3);
  });
});
