import { describe, expect, it } from "vitest";
import { crdts, opCrdts } from "../../core/registry.ts";
import type { StateCrdt } from "../../core/contract.ts";
import { CANARIES } from "../explore/canaries/index.ts";
import { checkLaws, formatLawsFailure } from "./check-laws.ts";

describe("checkLaws on the builtins (value-based, as for any plugin)", () => {
  for (const [name, crdt] of [...Object.entries(crdts), ...Object.entries(opCrdts)])
    it(`${name}: every law holds`, () => {
      const r = checkLaws(crdt, { runs: 60 });
      expect(r.failure ? formatLawsFailure(r, "") : "").toBe("");
      expect(r.ok).toBe(true);
    });
});

describe("checkLaws catches every law-breaking canary", () => {
  for (const c of CANARIES)
    it(`${c.file} (${c.bug}): ${c.law}`, () => {
      const r = checkLaws(c.crdt);
      expect(r.ok).toBe(false);
      expect(r.failure!.law).toBe(c.law);
      // A minimal counterexample: a handful of steps, with values to show.
      expect(r.failure!.history.length).toBeLessThanOrEqual(8);
      expect(Object.keys(r.failure!.values)).toEqual(["a", "b", "c"]);
    });
});

describe("the counterexample", () => {
  const tie = CANARIES.find((c) => c.file === "lww-no-tiebreak.ts")!.crdt;

  it("shows the ops per replica, the differing values, the seed and the replay command", () => {
    const r = checkLaws(tie, { seed: 5 });
    const text = formatLawsFailure(r, "npx memoconductor laws x --seed 5");
    expect(text).toMatch(/law violated — merge is commutative/);
    expect(text).toMatch(/ops per replica:\n {2}a: set\(\d\) \[now\(\) = \d\]/);
    expect(text).toMatch(/merge\(a, b\) = \d\n {2}merge\(b, a\) = \d/);
    expect(text).toMatch(/seed 5 .*\nreplay: npx memoconductor laws x --seed 5/);
  });

  it("is deterministic: the same seed gives the same counterexample; another seed may differ", () => {
    expect(checkLaws(tie, { seed: 9 })).toEqual(checkLaws(tie, { seed: 9 }));
  });

  it("reports a CRDT that throws as a violation, not a crash", () => {
    const throwing: StateCrdt<number, number> = {
      kind: "state",
      name: "thrower",
      ops: [{ op: "inc" }],
      init: () => 0,
      update: () => {
        throw new Error("boom");
      },
      merge: (a) => a,
      value: (s) => s,
    };
    const r = checkLaws(throwing, { runs: 5 });
    expect(r.failure).toMatchObject({ law: "the CRDT must not throw", error: "boom" });
  });

  it("refuses bad options and an empty op alphabet", () => {
    expect(() => checkLaws(crdts["g-counter"]!, { runs: 0 })).toThrow(/runs/);
    expect(() => checkLaws(crdts["g-counter"]!, { replicas: 2 })).toThrow(/replicas/);
    expect(() => checkLaws({ ...crdts["g-counter"]!, ops: [] })).toThrow(/no ops/);
  });
});
