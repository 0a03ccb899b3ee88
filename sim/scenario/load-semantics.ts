/**
 * Cross-field rules the shape schema cannot express: every node a step, clock or workload
 * names is declared; times are ordered and inside `duration`; ranges are not upside down;
 * argument generators are well formed; `expect.checks` names real checks. Each problem carries
 * the path of the field to fix.
 */
import type { Scenario, Step } from "./types.ts";
import { argGenProblem, firstValue, parseArgGen } from "../../core/arg-gen.ts";
import { CHECK_NAMES } from "../checkers/catalogue.ts";
import { didYouMean } from "../../core/util/did-you-mean.ts";
import { joinPath, type ScenarioIssue } from "./load-errors.ts";
import { clockIssues, latencyIssues } from "./load-bounds.ts";
import { serviceIssues } from "./load-services.ts";

/** One concrete value a generator can produce (for dry-running an op against the CRDT); a malformed one is passed as it is. */
export function sampleArg(gen: unknown): unknown {
  return argGenProblem(gen) === undefined ? firstValue(parseArgGen(gen)) : gen;
}

/** Every cross-field problem of an already shape-valid scenario, in file order. */
export function semanticIssues(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (path: string, reason: string) => issues.push({ path, reason });
  const declared = new Set<string>();
  s.nodes.forEach((n, i) => {
    if (declared.has(n)) add(`nodes[${i}]`, `duplicate node "${n}"`);
    declared.add(n);
  });
  const node = (path: string, n: string) => {
    if (!declared.has(n)) add(path, `node "${n}" is not declared (nodes: ${s.nodes.join(", ")})`);
  };
  const within = (path: string, t: number) => {
    if (t > s.duration) add(path, `time ${t} is beyond duration ${s.duration}`);
  };

  if (s.network?.latency?.dist === "uniform" && s.network.latency.min > s.network.latency.max)
    add("network.latency", `min ${s.network.latency.min} exceeds max ${s.network.latency.max}`);
  for (const name of Object.keys(s.clocks ?? {})) node(joinPath("clocks", name), name);
  for (const list of ["lost", "duplicated"] as const)
    (s.network?.fates?.[list] ?? []).forEach((r, i) => {
      const path = `network.fates.${list}[${i}]`;
      node(`${path}.from`, r.from);
      node(`${path}.to`, r.to);
      if (r.from === r.to) add(path, `a message goes from one node to another, not from "${r.from}" to itself`);
    });

  issues.push(...latencyIssues(s), ...clockIssues(s));

  let last = 0;
  const steps = s.steps ?? [];
  for (let i = 0; i < steps.length; i++) {
    // Paths are built only for a step with a problem: files can hold a million steps.
    const step = steps[i]!;
    if (step.at < last) add(`steps[${i}].at`, `times must be non-decreasing (${step.at} comes after ${last})`);
    else last = step.at;
    if (step.at > s.duration) within(`steps[${i}].at`, step.at);
    if ("node" in step && declared.has(step.node)) continue;
    stepNodeIssues(step, `steps[${i}]`, node, add);
  }

  const w = s.workload;
  if (w) {
    const from = w.from ?? 0;
    const to = w.to ?? s.duration;
    if (from > to) add("workload.from", `from ${from} is after to ${to}`);
    within("workload.to", to);
    within("workload.from", from);
    w.nodes?.forEach((n, i) => node(`workload.nodes[${i}]`, n));
    w.ops?.forEach((o, i) =>
      o.args?.forEach((g, j) => {
        const p = argGenProblem(g);
        if (p) add(`workload.ops[${i}].args[${j}]`, p);
      }),
    );
  }
  const np = s.nemesis?.partitions;
  if (np && np.duration[0] > np.duration[1]) add("nemesis.partitions.duration", `[min, max] is upside down: ${np.duration[0]} > ${np.duration[1]}`);
  const nc = s.nemesis?.clocks;
  if (nc) {
    if (!nc.skew && !nc.jump) add("nemesis.clocks", "give `skew` and/or `jump` ([lo, hi] ms), or the nemesis does nothing");
    for (const key of ["skew", "jump"] as const) {
      const r = nc[key];
      if (r && r[0] > r[1]) add(`nemesis.clocks.${key}`, `[lo, hi] is upside down: ${r[0]} > ${r[1]}`);
    }
  }
  const nx = s.nemesis?.crashes;
  if (nx && nx.downtime[0] > nx.downtime[1]) add("nemesis.crashes.downtime", `[min, max] is upside down: ${nx.downtime[0]} > ${nx.downtime[1]}`);

  issues.push(...serviceIssues(s, node));

  for (const name of Object.keys(s.expect?.checks ?? {})) {
    if (!CHECK_NAMES.includes(name)) add(joinPath("expect.checks", name), `unknown check "${name}" (${didYouMean(name, CHECK_NAMES)}checks: ${CHECK_NAMES.join(", ")})`);
  }
  return issues;
}

function stepNodeIssues(step: Step, at: string, node: (p: string, n: string) => void, add: (p: string, r: string) => void): void {
  if ("node" in step) node(`${at}.node`, step.node);
  else if ("partition" in step) {
    const seen = new Set<string>();
    step.partition.forEach((group, g) =>
      group.forEach((n, k) => {
        node(`${at}.partition`, n);
        if (seen.has(n)) add(`${at}.partition[${g}][${k}]`, `node "${n}" is in two groups`);
        seen.add(n);
      }),
    );
  } else if ("cut" in step) {
    step.cut.forEach(([a, b], k) => {
      node(`${at}.cut[${k}]`, a);
      node(`${at}.cut[${k}]`, b);
      if (a === b) add(`${at}.cut[${k}]`, `a link needs two different nodes, got "${a}" twice`);
    });
  } else if ("crash" in step) node(`${at}.crash`, step.crash);
  else if ("restart" in step) node(`${at}.restart`, step.restart);
  else if ("pause" in step) node(`${at}.pause`, step.pause);
  else if ("resume" in step) node(`${at}.resume`, step.resume);
  else if ("clockJump" in step) node(`${at}.clockJump.node`, step.clockJump.node);
}
