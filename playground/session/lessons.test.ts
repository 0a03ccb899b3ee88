/** Each lesson, clicked through as a learner would: the anomaly appears, and the fix removes it on the same steps. */
import { describe, expect, it } from "vitest";
import type { Scenario, Step } from "../../sim/scenario/types.ts";
import { LESSONS } from "./lessons.ts";
import { runSession } from "./run-session.ts";
import { addStep, partitionStep } from "./session.ts";

const CLICKS: Record<string, (s: Scenario) => Step[]> = {
  "youtube-counter": () => [
    { at: 1000, node: "eu", op: "inc", args: [1] },
    { at: 1010, node: "us", op: "inc", args: [1] },
  ],
  "lww-clock-skew": () => [
    { at: 1000, node: "alice", op: "set", args: ["ana@old.example"] },
    { at: 2500, node: "bob", op: "set", args: ["ana@new.example"] },
  ],
  "two-phase-set-readd": () => [
    { at: 500, node: "alice", op: "add", args: ["milk"] },
    { at: 1500, node: "bob", op: "remove", args: ["milk"] },
    { at: 2500, node: "alice", op: "add", args: ["milk"] },
  ],
  "or-set-add-wins": (s) => [
    partitionStep(500, s.nodes, new Set(["alice"])),
    { at: 700, node: "alice", op: "remove", args: ["milk"] },
    { at: 800, node: "bob", op: "add", args: ["milk"] },
    { at: 1500, heal: true },
  ],
  "both-phones": (s) => [
    partitionStep(500, s.nodes, new Set(["alice"])),
    { at: 1000, node: "alice", op: "set", args: ["+33 1 11"] },
    { at: 1100, node: "bob", op: "set", args: ["+33 1 22"] },
    { at: 2000, heal: true },
  ],
  "fractured-reads": () => [{ at: 700, node: "bob", txn: { read: ["x", "y"] } }],
  "invoice-partition": (s) => [partitionStep(1000, s.nodes, new Set(["carol"])), { at: 1200, node: "carol", next: "invoice" }],
};

describe("lessons", () => {
  it("every lesson has its clicks here", () => {
    expect(LESSONS.map((l) => l.id).sort()).toEqual(Object.keys(CLICKS).sort());
  });

  for (const lesson of LESSONS) {
    it(`${lesson.title}: the clicks cause the anomaly, the fix keeps what was lost`, async () => {
      const start = await runSession(lesson.start);
      expect(lesson.caused(start.scenario, start.run)).toBe(false);
      const clicked = CLICKS[lesson.id]!(lesson.start).reduce(addStep, lesson.start);
      const broken = await runSession(clicked);
      expect(lesson.caused(broken.scenario, broken.run)).toBe(true);
      expect(lesson.fixed(broken.scenario, broken.run)).toBe(false);
      const fixed = await runSession(lesson.fix.apply(clicked));
      expect(lesson.fixed(fixed.scenario, fixed.run)).toBe(true);
      expect(lesson.caused(fixed.scenario, fixed.run)).toBe(false);
    });
  }
});
