/**
 * The watchdog's tick, on its own: a call is stopped once the same call number has used the
 * budget of its thread's CPU time (of wall time, counted in ticks, where the CPU time is unknown),
 * or has been in progress for WALL_BUDGETS budgets using next to no CPU; a thread that called
 * process.exit is never taken for stuck (its exit is reported by its owner — explore's pool saw
 * its sweep thread's exit reported twice, once as a timeout, when the box was loaded).
 */
import { describe, expect, it } from "vitest";
import type { SlotState } from "../../sim/index.ts";
import { IDLE_SHARE, isStuck, slotWatches, WALL_BUDGETS } from "./supervise.ts";

const inMerge = (calls: number, exitCode?: number): SlotState => ({ method: "merge", calls, exitCode, tid: 0 });

describe("plugin watchdog tick", () => {
  it("where the CPU time is unknown: a call in progress for the whole budget is stuck; one that moves on is not", () => {
    const [w] = slotWatches(1);
    const ticks = (s: SlotState, n: number) => Array.from({ length: n }, () => isStuck(w!, s, 250, 1));
    expect(ticks(inMerge(6), 4)).toEqual([undefined, undefined, undefined, undefined]); // first sight, then 3 × 250 ms
    expect(isStuck(w!, inMerge(6), 250, 1)).toBe("computed"); // 4 × 250 ms = the 1 s budget
    expect(isStuck(w!, inMerge(7), 250, 1)).toBe(undefined); // a new call starts the count again
    expect(isStuck(w!, { method: undefined, calls: 7, exitCode: undefined, tid: 0 }, 250, 1)).toBe(undefined);
  });

  it("the budget is of CPU time: a call that gets a tenth of a core is not stopped at the budget of wall time", () => {
    const [w] = slotWatches(1);
    expect(isStuck(w!, inMerge(6), 250, 1, 5000)).toBe(undefined); // first sight, 5 s of CPU so far
    // 20 ms of CPU per 250 ms tick (8% of a core, a load of 25 on two cores): used 1 s of CPU
    // after 50 ticks (12.5 s) — past WALL_BUDGETS budgets of wall time, but it was computing.
    const slow = Array.from({ length: 50 }, (_, i) => isStuck(w!, inMerge(6), 250, 1, 5000 + 20 * (i + 1)));
    expect(slow.slice(0, -1).every((x) => x === undefined)).toBe(true);
    expect(slow.at(-1)).toBe("computed");
  });

  it("a call that uses no CPU (waiting on a promise, blocked in Atomics.wait) is stopped after WALL_BUDGETS budgets", () => {
    const [w] = slotWatches(1);
    const loading: SlotState = { method: "loading", calls: 1, exitCode: undefined, tid: 0 };
    isStuck(w!, loading, 250, 1, 100);
    const seen = Array.from({ length: WALL_BUDGETS * 4 }, () => isStuck(w!, loading, 250, 1, 100));
    expect(seen.slice(0, -1).every((x) => x === undefined)).toBe(true);
    expect(seen.at(-1)).toBe("lasted");
    // One that computed a little, then blocked: stopped once its share of a core falls under IDLE_SHARE.
    const [v] = slotWatches(1);
    isStuck(v!, loading, 250, 1, 0);
    const used = 500; // ms of CPU, then nothing
    const until = Array.from({ length: 200 }, () => isStuck(v!, loading, 250, 1, used));
    const at = until.indexOf("lasted");
    expect(at + 1).toBe(Math.floor(used / IDLE_SHARE / 250) + 1); // the first tick where 500 ms < 2% of the time it lasted
  });

  it("a thread that called process.exit mid-call is gone, not stuck, however long it stays so", () => {
    const [w] = slotWatches(1);
    for (let i = 0; i < 100; i++) expect(isStuck(w!, inMerge(6, 0), 250, 1)).toBe(undefined);
  });
});
