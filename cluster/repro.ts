/**
 * From a real run to a deterministic one: the schedule a cluster run carried out (plan.ts),
 * written back as a scenario of scripted steps — the same ops on the same nodes at the same
 * times, the same partitions, cuts, crashes, pauses and clock changes, no workload or nemesis
 * left to draw — and simulated. When the cluster run failed a check, the simulation either fails
 * it too (a deterministic repro: `memoconductor run` it) or does not, and that difference is
 * itself a finding: something the real processes do that the model leaves out.
 */
import { simulate, type Scenario, type Step } from "../sim/index.ts";
import type { CheckResult } from "../sim/index.ts";
import type { Plan } from "./plan.ts";

export function scenarioOfPlan(s: Scenario, plan: Plan): Scenario {
  const steps: Step[] = [];
  const offsets: Record<string, number> = { ...plan.initialOffsets };
  for (const a of plan.actions) {
    const at = a.t;
    switch (a.kind) {
      case "op":
        steps.push({ at, node: a.node, op: a.op, args: a.args });
        break;
      case "block":
        if (a.replace && a.groups) steps.push({ at, partition: a.groups });
        else {
          // A partition of links (bridge, ring, one-way) replaces the one before: heal, then cut those links.
          if (a.replace) steps.push({ at, heal: true });
          if (a.links.length > 0) steps.push({ at, cut: a.links });
        }
        break;
      case "next":
        steps.push({ at, node: a.node, next: a.name });
        break;
      case "heal":
        steps.push({ at, heal: true });
        break;
      case "crash":
      case "restart":
      case "pause":
      case "resume":
        // The action's kind is the step's key: { at, crash: node }, { at, restart: node }, …
        steps.push({ at, [a.kind]: a.node } as Step);
        break;
      case "clock": {
        const by = a.offset - (offsets[a.node] ?? 0);
        offsets[a.node] = a.offset;
        if (by !== 0) steps.push({ at, clockJump: { node: a.node, by } });
        break;
      }
    }
  }
  const { workload: _w, nemesis: _n, ...rest } = s;
  return {
    ...rest,
    name: `${s.name}-cluster-schedule`,
    description: `The schedule of a cluster run of ${s.name} (seed ${s.seed ?? 1}) as scripted steps, for the simulator.`,
    steps,
    limits: { ...s.limits, events: Math.max(s.limits?.events ?? 0, 10_000_000) },
  };
}

/** Whether the simulator, on the same schedule, fails the checks the cluster run failed (`failed`: their names). */
export async function simulateSchedule(repro: Scenario, failed: readonly CheckResult[]): Promise<{ reproduced: boolean; note: string }> {
  if (failed.length === 0)
    return { reproduced: true, note: "Every check the history decides came out as expected; simulated-scenario.json holds this run's schedule for the simulator." };
  const run = await simulate(repro, { trace: false });
  const simFailed = new Set(run.summary.checks.filter((c) => c.ok !== c.expected).map((c) => c.name));
  const names = failed.map((c) => c.name);
  const reproduced = names.every((n) => simFailed.has(n));
  const note = reproduced
    ? `The simulator reproduces it: simulated-scenario.json (this run's schedule as scripted steps) fails ${names.join(", ")} too — memoconductor run it for a deterministic repro.`
    : `The simulator does not reproduce it: on this run's schedule (simulated-scenario.json) it ${simFailed.size === 0 ? "passes every check" : `fails only ${[...simFailed].join(", ")}`}, where the real run failed ${names.join(", ")} — a difference between the real processes and the model, and itself a finding.`;
  return { reproduced, note };
}
