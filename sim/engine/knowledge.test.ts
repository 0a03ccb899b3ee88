import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CausalContext } from "../../core/clock/causal-context.ts";
import { checkProperty } from "../../core/_test/prop.ts";
import { Knowledge, toCausalContext } from "./knowledge.ts";

const NAMES = ["a", "b", "c"];
type Cmd = { kind: "add"; who: number; o: number; s: number } | { kind: "merge"; who: number; from: number };
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("add" as const), who: fc.nat(2), o: fc.nat(2), s: fc.integer({ min: 1, max: 150 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("merge" as const), who: fc.nat(2), from: fc.nat(2) }) },
);

describe("Knowledge", () => {
  it("models the same sets as core's CausalContext", () => {
    checkProperty(
      fc.property(fc.array(cmd, { maxLength: 200 }), (cmds) => {
        const ks = NAMES.map(() => new Knowledge(NAMES.length));
        const ccs = NAMES.map(() => new CausalContext());
        for (const c of cmds) {
          if (c.kind === "add") {
            const fresh = !ccs[c.who]!.has([NAMES[c.o]!, c.s]);
            expect(ks[c.who]!.add(c.o, c.s)).toBe(fresh);
            ccs[c.who]!.add([NAMES[c.o]!, c.s]);
          } else {
            ks[c.who]!.mergeFrom(ks[c.from]!.clone());
            ccs[c.who]!.merge(ccs[c.from]!.clone());
          }
        }
        for (let i = 0; i < NAMES.length; i++) {
          const k = ks[i]!;
          expect(toCausalContext(k, NAMES).equals(ccs[i]!)).toBe(true);
          const mine: boolean[] = [];
          const theirs: boolean[] = [];
          for (let o = 0; o < NAMES.length; o++) {
            expect(k.contig[o]).toBe(ccs[i]!.vv.get(NAMES[o]!));
            for (let s = 1; s <= 160; s++) {
              mine.push(k.has(o, s));
              theirs.push(ccs[i]!.has([NAMES[o]!, s]));
            }
          }
          expect(mine).toEqual(theirs);
          expect(k.gapFree()).toBe(ccs[i]!.cloud().length === 0);
          for (let j = 0; j < NAMES.length; j++) {
            const same = ccs[i]!.equals(ccs[j]!);
            expect(k.likelySame(ks[j]!)).toBe(same);
            expect(k.sameAs(ks[j]!)).toBe(same);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("sums per-dot weights over what it applied (counter-total)", () => {
    const weights = [[0, 5, 3, -2]];
    const k = new Knowledge(1, weights);
    k.add(0, 3);
    expect(k.total).toBe(-2);
    k.add(0, 1);
    k.add(0, 1);
    k.add(0, 2);
    expect(k.total).toBe(6);
    expect(k.gapFree()).toBe(true);
  });

  it("prints its version vector canonically, with gaps under '+'", () => {
    const k = new Knowledge(2);
    k.add(1, 1);
    k.add(1, 3);
    k.add(0, 2);
    expect(k.vvJson(["zed", "amy"], [1, 0])).toBe('{"amy":1,"+":{"amy":[3],"zed":[2]}}');
  });
});
