import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/index.ts";
import { renderRunViews } from "../index.ts";
import { STYLE, legendFor } from "../render/style.ts";
import type { CheckResult } from "../../sim/run-types.ts";
import { anomalyFlags } from "./anomaly-flags.ts";
import type { Flag } from "./model.ts";

const lanes = new Map([
  ["alice", 0],
  ["bob", 1],
]);
const fail = (name: string, expected: boolean, at?: CheckResult["at"]): CheckResult => ({ name, ok: false, expected, detail: "…", ...(at ? { at } : {}) });

describe("anomaly flags", () => {
  it("one flag per failed check that says where, on that node's lane; amber when expected", () => {
    const flags = anomalyFlags(
      [
        { name: "convergence", ok: true, expected: true, detail: "" },
        fail("no-lost-writes", false, { t: 4000, node: "bob" }),
        fail("counter-total", true, { t: 120, node: "alice" }),
        fail("order-independence", true), // an end-state property: nowhere to point
      ],
      lanes,
      [],
    );
    expect(flags).toEqual([
      { kind: "anomaly", t: 4000, label: "✗ no-lost-writes at bob", lane: 1, caught: true },
      { kind: "anomaly", t: 120, label: "✗ counter-total at alice", lane: 0, caught: false },
    ]);
  });

  it("skips nodes the trace does not have, and a strong-convergence break already flagged as the divergence", () => {
    const diverged: Flag = { kind: "diverged", t: 50, label: "first divergence at 50 ms" };
    const checks = [fail("strong-convergence", true, { t: 50, node: "alice" }), fail("idempotence", true, { t: 9, node: "carol" })];
    expect(anomalyFlags(checks, lanes, [diverged])).toEqual([]);
    expect(anomalyFlags(checks.slice(0, 1), lanes, [])).toHaveLength(1);
  });

  it("the timeline of a caught lost write rings Bob's write in amber, in the SVG and the page's data", async () => {
    const run = await simulate(fileURLToPath(new URL("../../scenarios/lww-clock-skew-physical.json", import.meta.url)));
    const v = renderRunViews(run);
    expect(v.model!.flags).toContainEqual({ kind: "anomaly", t: 4000, label: "✗ no-lost-writes at bob", lane: 1, caught: true });
    expect(v.svg).toMatch(new RegExp(`<circle [^>]*r="9" fill="none" stroke="${STYLE.caught}"`));
    expect(v.svg).toContain("✗ no-lost-writes at bob");
    expect(v.html).toContain("check broken"); // the legend entry, its icon amber like the ring
    expect(legendFor(v.model!).find((i) => i.label === "check broken")!.code).toBe("anomaly-caught");
  });

  it("a divergence and a failure to converge that the scenario demonstrates are amber too", async () => {
    const run = await simulate(fileURLToPath(new URL("../../scenarios/op-counter-duplication-no-dedup.json", import.meta.url)));
    const flags = renderRunViews(run).model!.flags;
    expect(flags.find((f) => f.kind === "diverged")).toMatchObject({ caught: true });
    expect(flags.find((f) => f.kind === "not-converged")).toMatchObject({ caught: true });
    expect(flags.filter((f) => f.kind === "anomaly").map((f) => f.caught)).not.toContain(false);
  });
});
