/**
 * The page computes what the CLI computes: a session run in the page's way (page-crdts, the
 * browser build's sha256) has the traceHash `simulate` — `memoconductor run`'s path — gives.
 */
import { createHash as nodeCreateHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAsyncProperty, checkProperty } from "../../core/_test/prop.ts";
import type { Scenario, Step } from "../../sim/scenario/types.ts";
import { simulate } from "../../sim/simulate.ts";
import { createHash as pageCreateHash } from "../build/shims/crypto.ts";
import { GALLERY } from "./gallery.ts";
import { runSession } from "./run-session.ts";
import { addStep, emptySession } from "./session.ts";

const NODES = ["alice", "bob", "carol"];
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ at: fc.nat(3000), node: fc.constantFrom(...NODES), op: fc.constantFrom("add", "remove"), args: fc.tuple(fc.constantFrom("x", "y")) }),
  fc.record({ at: fc.nat(3000), partition: fc.constantFrom<string[][]>([["alice"], ["bob", "carol"]], [["carol"], ["alice", "bob"]]) }),
  fc.record({ at: fc.nat(3000), heal: fc.constant(true as const) }),
  fc.record({ at: fc.nat(3000), clockJump: fc.record({ node: fc.constantFrom(...NODES), by: fc.integer({ min: -5000, max: 5000 }) }) }),
);

describe("the page's run is the CLI's run", () => {
  it("the browser build's sha256 is node:crypto's, over any split of the input", () => {
    checkProperty(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }), (chunks) => {
        const a = pageCreateHash("sha256"),
          b = nodeCreateHash("sha256");
        for (const c of chunks) {
          a.update(c);
          b.update(c);
        }
        expect(a.digest("hex")).toBe(b.digest("hex"));
      }),
    );
  });

  it("random sessions hash alike in the page and in simulate", async () => {
    await checkAsyncProperty(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 8 }), fc.integer({ min: 1, max: 1000 }), async (steps, seed) => {
        const s: Scenario = { ...steps.reduce(addStep, emptySession("or-set")), seed };
        const page = await runSession(s);
        const cli = await simulate(s);
        expect(page.run.summary.traceHash).toBe(cli.summary.traceHash);
      }),
      { numRuns: 15 },
    );
  });

  it("every gallery scenario the page offers runs there, to the CLI's hash", async () => {
    for (const g of GALLERY) {
      const page = await runSession(g.scenario);
      // A plugin path is relative to the gallery's folder, as it is to the file.
      const cli = await simulate(g.scenario as Scenario, { baseDir: "scenarios" });
      expect(page.run.summary.traceHash, g.name).toBe(cli.summary.traceHash);
    }
  });
});
