/**
 * Cross-field rules of `services` and of the service steps (`next`, `txn`): the service nodes
 * and shards are declared nodes, every key a transaction touches maps to a declared shard,
 * values are JSON, and a step or a check that needs a service finds it declared. Each problem
 * carries the path of the field to fix.
 */
import { serviceOfCheck } from "../checkers/catalogue.ts";
import { jsonProblem } from "../../core/util/json.ts";
import { shardFunction } from "../services/shards.ts";
import { joinPath, type ScenarioIssue } from "./load-errors.ts";
import type { Scenario } from "./types.ts";

export function serviceIssues(s: Scenario, node: (path: string, n: string) => void): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (path: string, reason: string) => issues.push({ path, reason });
  const seq = s.services?.sequencer;
  const ramp = s.services?.ramp;
  if (seq) node("services.sequencer.node", seq.node);
  if (ramp) {
    const seen = new Set<string>();
    ramp.shards.forEach((sh, i) => {
      node(`services.ramp.shards[${i}]`, sh);
      if (seen.has(sh)) add(`services.ramp.shards[${i}]`, `shard "${sh}" is listed twice`);
      seen.add(sh);
    });
    for (const [key, sh] of Object.entries(ramp.keys ?? {}))
      if (!seen.has(sh)) add(joinPath("services.ramp.keys", key), `shard "${sh}" is not declared in services.ramp.shards (${ramp.shards.join(", ")})`);
  }
  const shard = ramp ? shardFunction(ramp) : undefined;
  const mapped = (path: string, key: string) => {
    if (shard && ramp && !ramp.shards.includes(shard(key)))
      add(path, `key "${key}" is not mapped to a shard (add it to services.ramp.keys: ${Object.keys(ramp.keys ?? {}).join(", ")})`);
  };
  for (const svc of ["sequencer", "ramp"] as const) {
    const w = s.services?.[svc]?.workload;
    if (!w) continue;
    const at = `services.${svc}.workload`;
    w.nodes?.forEach((n, i) => node(`${at}.nodes[${i}]`, n));
    const from = w.from ?? 0;
    const to = w.to ?? s.duration;
    if (from > to) add(`${at}.from`, `from ${from} is after to ${to}`);
    if (to > s.duration) add(`${at}.to`, `time ${to} is beyond duration ${s.duration}`);
  }
  const tw = ramp?.workload;
  if (ramp && tw) {
    if (tw.keys === undefined && ramp.keys === undefined) add("services.ramp.workload.keys", "list the keys the transactions touch (services.ramp.keys is not given either)");
    if (tw.keys?.length === 0 || (tw.keys === undefined && ramp.keys !== undefined && Object.keys(ramp.keys).length === 0))
      add("services.ramp.workload.keys", "needs at least one key");
    tw.keys?.forEach((k, i) => mapped(`services.ramp.workload.keys[${i}]`, k));
  }
  (s.steps ?? []).forEach((step, i) => {
    const at = `steps[${i}]`;
    if ("next" in step && !seq) add(`${at}.next`, `the scenario declares no sequencer (add services.sequencer: { "node": … })`);
    if (!("txn" in step)) return;
    if (!ramp) return add(`${at}.txn`, `the scenario declares no RAMP shards (add services.ramp: { "shards": […] })`);
    const { write, read } = step.txn;
    if ((write === undefined) === (read === undefined)) return add(`${at}.txn`, `a transaction has exactly one of "write" (key → value) or "read" (keys)`);
    if (write !== undefined) {
      const keys = Object.keys(write);
      if (keys.length === 0) add(`${at}.txn.write`, "a write transaction needs at least one key");
      for (const k of keys) {
        const p = joinPath(`${at}.txn.write`, k);
        mapped(p, k);
        const bad = jsonProblem(write[k]);
        if (bad !== undefined) add(p, `not a JSON value: ${bad}`);
      }
    } else {
      if (read!.length === 0) add(`${at}.txn.read`, "a read transaction needs at least one key");
      const keys = new Set<string>();
      read!.forEach((k, j) => {
        if (keys.has(k)) add(`${at}.txn.read[${j}]`, `key "${k}" is read twice`);
        keys.add(k);
        mapped(`${at}.txn.read[${j}]`, k);
      });
    }
  });
  for (const name of Object.keys(s.expect?.checks ?? {})) {
    const needs = serviceOfCheck(name);
    if (needs && !s.services?.[needs])
      add(joinPath("expect.checks", name), `check "${name}" observes the ${needs === "ramp" ? "RAMP transactions" : "sequencer"}: declare services.${needs}`);
  }
  return issues;
}
