import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { at } from "../../_test/at.ts";
import { checkProperty } from "../../_test/prop.ts";
import { type Dot, dotKey } from "../../clock/dot.ts";
import { DotKernel } from "./dot-kernel.ts";

/** The join written the slow, obvious way: sets of dots, no index, no compaction. */
type Model = { dots: Map<string, { dot: Dot; key: string }>; ctx: Map<string, Dot> };
const emptyModel = (): Model => ({ dots: new Map(), ctx: new Map() });
const copyModel = (m: Model): Model => ({ dots: new Map(m.dots), ctx: new Map(m.ctx) });
function joinModel(a: Model, b: Model): Model {
  const out = emptyModel();
  for (const [k, e] of a.dots) if (b.dots.has(k) || !b.ctx.has(k)) out.dots.set(k, e);
  for (const [k, e] of b.dots) if (!a.ctx.has(k)) out.dots.set(k, e);
  for (const m of [a.ctx, b.ctx]) for (const [k, d] of m) out.ctx.set(k, d);
  return out;
}

const REPLICAS = ["a", "b", "c"];
type Step =
  | { kind: "write"; at: number; key: number; supersede: "own" | "all" | "none" }
  | { kind: "remove"; at: number; key: number }
  | { kind: "sync"; from: number; to: number }
  | { kind: "deliver"; delta: number; to: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("write" as const), at: fc.nat(2), key: fc.nat(9), supersede: fc.constantFrom("own" as const, "all" as const, "none" as const) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), at: fc.nat(2), key: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: fc.nat(2), to: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deliver" as const), delta: fc.nat(), to: fc.nat(2) }) },
);

function expectMatches(k: DotKernel, m: Model, what: string): void {
  const actual = k
    .keys()
    .sort()
    .map((key) => [key, k.dotsOf(key).map(dotKey).sort()]);
  const byKey = new Map<string, string[]>();
  for (const [dk, { key }] of m.dots) byKey.set(key, [...(byKey.get(key) ?? []), dk]);
  const expected = [...byKey.keys()].sort().map((key) => [key, byKey.get(key)!.sort()]);
  expect(actual, `${what}: entries`).toEqual(expected);
  const seen = (has: (d: Dot) => boolean) =>
    REPLICAS.flatMap((r) => Array.from({ length: 60 }, (_, i): Dot => [r, i + 1]))
      .filter(has)
      .map(dotKey);
  expect(
    seen((d) => k.ctx.has(d)),
    `${what}: context`,
  ).toEqual(seen((d) => m.ctx.has(dotKey(d))));
}

describe("dot kernel", () => {
  it("join, write and remove agree with the set-based definition (both lookup strategies of the join)", () => {
    checkProperty(
      fc.property(fc.array(stepArb, { maxLength: 80, size: "max" }), (steps) => {
        const ks = REPLICAS.map(() => new DotKernel());
        const ms = REPLICAS.map(emptyModel);
        const deltas: [DotKernel, Model][] = [];
        for (const s of steps) {
          if (s.kind === "write" || s.kind === "remove") {
            const k = at(ks, s.at);
            const m = at(ms, s.at);
            const key = String(s.key);
            const doomed = s.kind === "remove" || s.supersede === "own" ? [key] : s.supersede === "all" ? k.keys() : [];
            const dm = emptyModel();
            for (const [dk, e] of m.dots)
              if (doomed.includes(e.key)) {
                m.dots.delete(dk);
                dm.ctx.set(dk, e.dot);
              }
            if (s.kind === "write") {
              const r = at(REPLICAS, s.at);
              let max = 0;
              for (const d of m.ctx.values()) if (d[0] === r) max = Math.max(max, d[1]);
              const dot: Dot = [r, max + 1];
              for (const mm of [m, dm]) {
                mm.dots.set(dotKey(dot), { dot, key });
                mm.ctx.set(dotKey(dot), dot);
              }
              const delta = k.write(r, key, s.key, doomed);
              deltas.push([delta, dm]);
              expectMatches(delta, dm, "its delta");
            } else {
              const delta = k.remove(doomed);
              deltas.push([delta, dm]);
              expectMatches(delta, dm, "its delta");
            }
            expectMatches(k, m, "after the op");
          } else if (s.kind === "sync") {
            at(ks, s.to).join(at(ks, s.from).clone());
            ms[s.to] = joinModel(at(ms, s.to), at(ms, s.from));
            expectMatches(at(ks, s.to), at(ms, s.to), "after a state sync");
          } else if (deltas.length > 0) {
            const [dk, dm] = at(deltas, s.delta % deltas.length);
            at(ks, s.to).join(dk);
            ms[s.to] = joinModel(at(ms, s.to), copyModel(dm));
            expectMatches(at(ks, s.to), at(ms, s.to), "after a delta");
            expectMatches(dk, dm, "the delta after being merged");
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("clone is deep: mutating the clone leaves the original alone", () => {
    const k = new DotKernel();
    k.write("a", "1", 1, []);
    const c = k.clone();
    c.write("a", "2", 2, ["1"]);
    expect(k.keys()).toEqual(["1"]);
    expect(k.ctx.toJSON()).toEqual({ vv: { a: 1 }, cloud: [] });
  });
});
