/**
 * The watchdog's tick, on its own: a call is stuck once the same call number has stayed in
 * progress for the budget; a thread that called process.exit is never taken for stuck (its exit
 * is reported by its owner — explore's pool saw its sweep thread's exit reported twice, once as
 * a timeout, when the box was loaded).
 */
import { describe, expect, it } from "vitest";
import type { SlotState } from "../../sim/index.ts";
import { isStuck, slotWatches } from "./supervise.ts";

const inMerge = (calls: number, exitCode?: number): SlotState => ({ method: "merge", calls, exitCode });

describe("plugin watchdog tick", () => {
  it("a call in progress for the whole budget is stuck; one that moves on is not", () => {
    const [w] = slotWatches(1);
    const ticks = (s: SlotState, n: number) => Array.from({ length: n }, () => isStuck(w!, s, 250, 1));
    expect(ticks(inMerge(6), 4)).toEqual([false, false, false, false]); // first sight, then 3 × 250 ms
    expect(isStuck(w!, inMerge(6), 250, 1)).toBe(true); // 4 × 250 ms = the 1 s budget
    expect(isStuck(w!, inMerge(7), 250, 1)).toBe(false); // a new call starts the count again
    expect(isStuck(w!, { method: undefined, calls: 7, exitCode: undefined }, 250, 1)).toBe(false);
  });

  it("a thread that called process.exit mid-call is gone, not stuck, however long it stays so", () => {
    const [w] = slotWatches(1);
    for (let i = 0; i < 100; i++) expect(isStuck(w!, inMerge(6, 0), 250, 1)).toBe(false);
  });
});
