import { describe, expect, it } from "vitest";
import { Knowledge } from "../engine/knowledge.ts";
import type { Replica } from "../engine/replica.ts";
import { Durability } from "./durability.ts";
import { RegisterFields } from "./register-fields.ts";

/** A stand-in replica: a name, an index, a final value and the updates it has applied. */
function replica(index: number, name: string, value: unknown, applied: [number, number][]): Replica {
  const k = new Knowledge(2);
  for (const [o, s] of applied) k.add(o, s);
  return { index, name, knowledge: k, value: () => value, valueJson: () => JSON.stringify(value) } as unknown as Replica;
}

describe("durability", () => {
  it("sets: an acknowledged add missing at the end with no remove to explain it is reported lost", () => {
    const d = new Durability(2, "set", null);
    const a = replica(0, "a", [], []);
    d.issued(a, 1, "add", ["x"], 10);
    d.acked(0, 1, 10);
    d.issued(a, 2, "add", ["y"], 20); // never acknowledged: may be lost
    const finals = [replica(0, "a", ["x"], [[0, 1]]), replica(1, "b", [], [[0, 1]])];
    const r = d.result(finals, true);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/element "x" \(a:1 add \["x"\] acknowledged at t=10\) is missing at b and no remove could have removed it/);
    // Where the timeline marks it: the lost write's acknowledgement.
    expect(r.at).toEqual({ t: 10, node: "a" });
    expect(d.result([replica(0, "a", ["x"], [[0, 1]]), replica(1, "b", ["x"], [[0, 1]])], true)).not.toHaveProperty("at");
  });

  it("sets: a concurrent remove explains the absence; a remove the add had observed does not", () => {
    const d = new Durability(2, "set", null);
    const a = replica(0, "a", [], []);
    const b = replica(1, "b", [], []);
    d.issued(b, 1, "remove", ["x"], 5);
    d.issued(a, 1, "add", ["x"], 10);
    d.acked(0, 1, 10);
    const finals = [
      replica(
        0,
        "a",
        [],
        [
          [0, 1],
          [1, 1],
        ],
      ),
      replica(
        1,
        "b",
        [],
        [
          [0, 1],
          [1, 1],
        ],
      ),
    ];
    expect(d.result(finals, true).ok).toBe(true);
    const d2 = new Durability(2, "set", null);
    d2.issued(b, 1, "remove", ["x"], 5);
    d2.issued(replica(0, "a", [], [[1, 1]]), 1, "add", ["x"], 10); // a had applied the remove
    d2.acked(0, 1, 10);
    expect(d2.result(finals, true).ok).toBe(false);
  });

  it("every type: an acknowledged update some replica never applied is lost; a retracted one is not counted", () => {
    const d = new Durability(2, "any", null);
    const a = replica(0, "a", null, []);
    d.issued(a, 1, "push", [1], 10);
    d.acked(0, 1, 12);
    d.issued(a, 2, "push", [2], 11);
    d.retract(0, 2);
    const r = d.result([replica(0, "a", null, [[0, 1]]), replica(1, "b", null, [])], true);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/a:1 push \[1\] acknowledged at t=12 is not applied at b/);
    expect(r.at).toEqual({ t: 12, node: "a" });
    expect(r.detail).toMatch(/1 unacknowledged update lost in crashes/);
  });

  it("counters: the acknowledged total must be there", () => {
    const d = new Durability(2, "counter", null);
    const a = replica(0, "a", 0, []);
    d.issued(a, 1, "inc", [5], 1);
    d.acked(0, 1, 1);
    d.issued(a, 2, "inc", [3], 2);
    const applied: [number, number][] = [
      [0, 1],
      [0, 2],
    ];
    expect(d.result([replica(0, "a", 8, applied)], true).ok).toBe(true);
    expect(d.result([replica(0, "a", 5, applied)], true).ok).toBe(true); // the unacknowledged +3 may be missing
    expect(d.result([replica(0, "a", 4, applied)], true).detail).toMatch(/a ends at 4, outside \[5, 8\]/);
  });

  it("registers: an acknowledged write is shown or replaced by a write it had not seen", () => {
    const d = new Durability(2, "register", RegisterFields.bareRegister("lww"));
    const a = replica(0, "a", null, []);
    d.issued(a, 1, "set", ["v1"], 1);
    d.acked(0, 1, 1);
    d.issued(replica(1, "b", null, [[0, 1]]), 1, "set", ["v0"], 2); // b had seen a:1: causally after it
    const all: [number, number][] = [
      [0, 1],
      [1, 1],
    ];
    expect(d.result([replica(0, "a", "v0", all)], true).ok).toBe(true);
    const d2 = new Durability(2, "register", RegisterFields.bareRegister("lww"));
    d2.issued(replica(1, "b", null, []), 1, "set", ["v0"], 0);
    d2.issued(replica(0, "a", null, [[1, 1]]), 1, "set", ["v1"], 1); // a overwrote b's write knowingly
    d2.acked(0, 1, 1);
    expect(d2.result([replica(0, "a", "v0", all)], true).detail).toMatch(/the register = "v1" .* is not reflected at a, which shows "v0" from no later or concurrent write/);
  });

  it("LWW-Map keys: a concurrent or later delete explains an absent key; a delete the write had seen, or none, does not", () => {
    const fields = RegisterFields.everyKey("lww");
    const all: [number, number][] = [
      [0, 1],
      [1, 1],
    ];
    // b deletes "k" concurrently with a's acknowledged set: the key may rightly be gone.
    const d = new Durability(2, "register", fields);
    d.issued(replica(0, "a", null, []), 1, "set", ["k", 1], 1);
    d.acked(0, 1, 1);
    d.issued(replica(1, "b", null, []), 1, "delete", ["k"], 2);
    expect(d.result([replica(0, "a", {}, all), replica(1, "b", {}, all)], true).ok).toBe(true);
    // a had applied b's delete before it set "k": the set is later, so "k" must be there.
    const d2 = new Durability(2, "register", fields);
    d2.issued(replica(1, "b", null, []), 1, "delete", ["k"], 0);
    d2.issued(replica(0, "a", null, [[1, 1]]), 1, "set", ["k", 1], 1);
    d2.acked(0, 1, 1);
    expect(d2.result([replica(0, "a", { k: 1 }, all), replica(1, "b", {}, all)], true).detail).toMatch(
      /k = 1 \(a:1 set \["k",1\] acknowledged at t=1\) is not reflected at b, which shows nothing/,
    );
    // No delete at all: an absent key is a lost write.
    const d3 = new Durability(2, "register", fields);
    d3.issued(replica(0, "a", null, []), 1, "set", ["k", 1], 1);
    d3.acked(0, 1, 1);
    expect(d3.result([replica(0, "a", {}, [[0, 1]]), replica(1, "b", {}, [[0, 1]])], true).ok).toBe(false);
  });

  it("registers: a rival applied elsewhere does not excuse an older value shown", () => {
    // b's concurrent write exists, but a shows the write that a:2 had overwritten: a:2 is lost at a.
    const d = new Durability(2, "register", RegisterFields.bareRegister("lww"));
    d.issued(replica(0, "a", null, []), 1, "set", ["old"], 0);
    d.issued(replica(0, "a", null, [[0, 1]]), 2, "set", ["new"], 1);
    d.acked(0, 2, 1);
    d.issued(replica(1, "b", null, []), 1, "set", ["b"], 1);
    const all: [number, number][] = [
      [0, 1],
      [0, 2],
      [1, 1],
    ];
    expect(d.result([replica(0, "a", "old", all), replica(1, "b", "new", all)], true).detail).toMatch(/the register = "new" .* is not reflected at a, which shows "old"/);
    expect(d.result([replica(0, "a", "b", all), replica(1, "b", "b", all)], true).ok).toBe(true);
  });

  it("an acknowledged delete survives when the key stays absent or a rival set shows", () => {
    const d = new Durability(2, "register", RegisterFields.everyKey("lww"));
    d.issued(replica(0, "a", null, []), 1, "set", ["k", 1], 0);
    d.issued(replica(0, "a", null, [[0, 1]]), 2, "delete", ["k"], 1);
    d.acked(0, 2, 1);
    const all: [number, number][] = [
      [0, 1],
      [0, 2],
    ];
    expect(d.result([replica(0, "a", {}, all)], true).ok).toBe(true);
    // The deleted key came back with the value the delete had seen: the delete was lost.
    expect(d.result([replica(0, "a", { k: 1 }, all)], true).detail).toMatch(/k deleted \(a:2 delete \["k"\] acknowledged at t=1\) is not reflected at a, which shows 1/);
  });
});
