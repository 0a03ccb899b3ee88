import { describe, expect, it } from "vitest";
import { sequencerMonotonic, sequencerUnique } from "./checkers.ts";
import type { SeqEvent } from "./history.ts";

const inv = (client: string, requestId: number, name = "invoice"): SeqEvent => ({ type: "invoke", client, requestId, name });
const ok = (client: string, requestId: number, n: number, name = "invoice"): SeqEvent => ({ type: "ok", client, requestId, name, n });
const asg = (client: string, requestId: number, n: number, name = "invoice"): SeqEvent => ({ type: "assign", client, requestId, name, n });

describe("sequencerUnique", () => {
  it("accepts distinct numbers and repeated answers to one request", () => {
    expect(sequencerUnique([inv("a", 0), asg("a", 0, 1), ok("a", 0, 1), ok("a", 0, 1), ok("b", 0, 1, "order")]).ok).toBe(true);
  });

  it("reports the first number given to two requests", () => {
    const r = sequencerUnique([inv("a", 0), inv("b", 0), ok("a", 0, 1), ok("b", 0, 2), ok("b", 1, 1)]);
    expect(r).toMatchObject({ ok: false, index: 4, event: ok("b", 1, 1) });
    expect(r.detail).toMatch(/invoice number 1 given to "b"#1 but already given to "a"#0/);
  });

  it("reports one request answered with two numbers", () => {
    expect(sequencerUnique([ok("a", 0, 1), ok("a", 0, 2)])).toMatchObject({ ok: false, index: 1 });
  });
});

describe("sequencerMonotonic", () => {
  it("accepts overlapping requests completing in either order", () => {
    expect(sequencerMonotonic([inv("a", 0), inv("a", 1), asg("a", 0, 1), asg("a", 1, 2), ok("a", 1, 2), ok("a", 0, 1)]).ok).toBe(true);
  });

  it("reports a request invoked after a larger number was seen getting a smaller one", () => {
    const r = sequencerMonotonic([inv("a", 0), ok("a", 0, 5), inv("b", 0), ok("b", 0, 3)]);
    expect(r).toMatchObject({ ok: false, index: 3 });
    expect(r.detail).toMatch(/"a"#0 had already been given 5 before it asked/);
  });

  it("reports assignments going backwards (a sequencer that forgot after a crash)", () => {
    expect(sequencerMonotonic([asg("a", 0, 1), asg("a", 1, 2), asg("b", 0, 2)])).toMatchObject({ ok: false, index: 2 });
  });

  it("keeps names apart", () => {
    expect(sequencerMonotonic([inv("a", 0), ok("a", 0, 5), inv("b", 0, "order"), ok("b", 0, 1, "order")]).ok).toBe(true);
  });
});
