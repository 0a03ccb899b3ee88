import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { EventQueue } from "./event-queue.ts";

type Item = { t: number; seq: number; label: number };
const item = (label: number): Item => ({ t: 0, seq: 0, label });

describe("EventQueue", () => {
  it("pops by time, then by insertion order", () => {
    const q = new EventQueue<Item>();
    q.push(item(1), 5);
    q.push(item(2), 3);
    q.push(item(3), 5);
    q.push(item(4), 3);
    q.push(item(5), 0);
    const out: number[] = [];
    for (let x = q.pop(); x; x = q.pop()) out.push(x.label);
    expect(out).toEqual([5, 2, 4, 1, 3]);
    expect(q.pop()).toBeUndefined();
    expect(q.size).toBe(0);
  });

  it("agrees with a stable sort, under interleaved pushes and pops", () => {
    // Ops: a number pushes an event at that time; null pops.
    const ops = fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { freq: 3 }), { maxLength: 300 });
    checkProperty(
      fc.property(ops, (script) => {
        const q = new EventQueue<Item>();
        let model: { t: number; label: number }[] = [];
        let label = 0;
        for (const op of script) {
          if (op === null) {
            const got = q.pop();
            const want = model.shift();
            expect(got?.label).toBe(want?.label);
          } else {
            q.push(item(label), op);
            model.push({ t: op, label: label++ });
            // A stable sort by time keeps insertion order among equal times.
            model = model.map((m, i) => ({ ...m, i })).sort((a, b) => a.t - b.t || a.i - b.i);
          }
          expect(q.size).toBe(model.length);
          expect(q.peek()?.label).toBe(model[0]?.label);
        }
      }),
    );
  });
});
