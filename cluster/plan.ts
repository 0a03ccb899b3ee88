/**
 * A scenario and a seed as the schedule of a real run: every client op (scripted steps and the
 * workload's arrivals) and every fault (scripted and nemesis), with its time in ms after the
 * start. Drawn up front from the simulator's own seeded streams (the same arrival times and ops
 * a simulation of this seed draws), so the schedule is deterministic even though its execution
 * against real processes is not — and it can be written back as a scenario of scripted steps
 * (repro.ts).
 */
import { Arrivals, completeGroups, groupPairs, OpMix, randomPartition, STREAM, Streams, type Scenario } from "../sim/index.ts";
import type { OpSpec } from "../core/index.ts";

export type Action =
  | { t: number; kind: "op"; node: string; op: string; args: unknown[] }
  /** A RAMP transaction step (services.ramp): a write becomes one node `txn`, a read one `getMany` (run-cluster.ts). */
  | { t: number; kind: "txn"; node: string; write?: Record<string, unknown>; read?: string[] }
  /** A request for the next number of a sequence (services.sequencer). */
  | { t: number; kind: "next"; node: string; name: string }
  /** Directed links blocked: a partition replaces the blocked set, a cut adds to it. */
  | { t: number; kind: "block"; links: [string, string][]; replace: boolean; by: "step" | "nemesis"; shape: string; groups?: string[][] }
  | { t: number; kind: "heal"; by: "step" | "nemesis" }
  | { t: number; kind: "crash" | "restart" | "pause" | "resume"; node: string; by: "step" | "nemesis" }
  /** The node's clock offset becomes `offset` (a skew sets it, a jump adds `by`). */
  | { t: number; kind: "clock"; node: string; offset: number; by: number; source: "step" | "nemesis" };

export type Plan = { actions: Action[]; initialOffsets: Record<string, number> };

/** The schedule of `scenario` under `seed`; `crdtOps` is the type's op alphabet (the workload's default mix). */
export function planRun(scenario: Scenario, seed: number, crdtOps: readonly OpSpec[]): Plan {
  const names = scenario.nodes;
  const n = names.length;
  const streams = new Streams(seed);
  const actions: Action[] = [];
  const offsets: Record<string, number> = {};
  for (const name of names) offsets[name] = scenario.clocks?.[name]?.skew ?? 0;
  const initialOffsets = { ...offsets };
  const byIndex = (pairs: readonly (readonly [number, number])[]) => pairs.map(([a, b]) => [names[a]!, names[b]!] as [string, string]);
  const at = new Map(names.map((x, i) => [x, i]));
  const idx = (x: string) => at.get(x) ?? -1;

  for (const step of scenario.steps ?? []) {
    const t = step.at;
    if ("op" in step) actions.push({ t, kind: "op", node: step.node, op: step.op, args: step.args ?? [] });
    else if ("next" in step) actions.push({ t, kind: "next", node: step.node, name: step.next });
    else if ("txn" in step)
      actions.push({ t, kind: "txn", node: step.node, ...(step.txn.write ? { write: step.txn.write } : {}), ...(step.txn.read ? { read: step.txn.read } : {}) });
    else if ("partition" in step) {
      const groups = completeGroups(
        step.partition.map((g) => g.map(idx)),
        n,
      );
      actions.push({ t, kind: "block", links: byIndex(groupPairs(groups, n)), replace: true, by: "step", shape: "groups", groups: groups.map((g) => g.map((i) => names[i]!)) });
    } else if ("cut" in step) actions.push({ t, kind: "block", links: step.cut.map(([a, b]) => [a, b]), replace: false, by: "step", shape: "cut" });
    else if ("heal" in step) actions.push({ t, kind: "heal", by: "step" });
    else if ("crash" in step) actions.push({ t, kind: "crash", node: step.crash, by: "step" });
    else if ("restart" in step) actions.push({ t, kind: "restart", node: step.restart, by: "step" });
    else if ("pause" in step) actions.push({ t, kind: "pause", node: step.pause, by: "step" });
    else if ("resume" in step) actions.push({ t, kind: "resume", node: step.resume, by: "step" });
    else if ("clockJump" in step) {
      const node = step.clockJump.node;
      actions.push({ t, kind: "clock", node, offset: 0, by: step.clockJump.by, source: "step" }); // offset filled in below, in time order
    }
  }

  const w = scenario.workload;
  if (w && w.ratePerNode > 0) {
    const mix = new OpMix(w.ops ?? crdtOps);
    for (const name of w.nodes ?? names) {
      const arrivals = new Arrivals(w.from ?? 0, w.to ?? scenario.duration, w.ratePerNode, streams.get(STREAM.arrivals(name)));
      const ops = streams.get(STREAM.ops(name));
      for (let t = arrivals.next(); t >= 0; t = arrivals.next()) {
        const op = mix.sample(ops);
        actions.push({ t, kind: "op", node: name, op: op.op, args: [...op.args] });
      }
    }
  }

  addSequencerWorkload(actions, scenario, streams);

  const nem = scenario.nemesis;
  if (nem?.partitions) {
    const p = nem.partitions;
    const r = streams.get(STREAM.nemesis);
    for (let t = p.every; t < scenario.duration; t += p.every) {
      const part = randomPartition(p.shape ?? "random", n, r);
      const end = t + r.int(p.duration[0], p.duration[1]);
      actions.push({
        t,
        kind: "block",
        links: byIndex(part.pairs),
        replace: true,
        by: "nemesis",
        shape: part.shape,
        ...(part.groups ? { groups: part.groups.map((g) => g.map((i) => names[i]!)) } : {}),
      });
      // Only the latest nemesis partition ends by itself: a newer one replaces it first.
      if (end < t + p.every && end < scenario.duration) actions.push({ t: end, kind: "heal", by: "nemesis" });
    }
  }
  if (nem?.clocks) {
    const c = nem.clocks;
    const r = streams.get(STREAM.clockNemesis);
    for (let t = c.every; t < scenario.duration; t += c.every) {
      const node = names[r.int(0, n - 1)]!;
      const useSkew = c.skew && (!c.jump || r.chance(0.5));
      if (useSkew) actions.push({ t, kind: "clock", node, offset: r.int(c.skew![0], c.skew![1]), by: 0, source: "nemesis" });
      else if (c.jump) actions.push({ t, kind: "clock", node, offset: 0, by: r.int(c.jump[0], c.jump[1]), source: "nemesis" });
    }
  }
  sortByTime(actions);
  if (nem?.crashes) addCrashNemesis(actions, scenario, streams, nem.crashes);

  // Offsets in time order: a jump adds to whatever the node's clock offset is by then.
  for (const a of actions) {
    if (a.kind !== "clock") continue;
    if (a.by !== 0) a.offset = (offsets[a.node] ?? 0) + a.by;
    offsets[a.node] = a.offset;
  }
  return { actions, initialOffsets };
}

/** The sequencer's random requests, from the streams the simulator's sequencer draws them from (sim/services/workload.ts). */
function addSequencerWorkload(actions: Action[], scenario: Scenario, streams: Streams): void {
  const w = scenario.services?.sequencer?.workload;
  if (!w || !(w.ratePerNode > 0)) return;
  const names = w.names ?? ["invoice"];
  for (const node of w.nodes ?? scenario.nodes) {
    const arrivals = new Arrivals(w.from ?? 0, w.to ?? scenario.duration, w.ratePerNode, streams.get(`services/sequencer/arrivals/${node}`));
    const pick = streams.get(`services/sequencer/requests/${node}`);
    for (let t = arrivals.next(); t >= 0; t = arrivals.next()) actions.push({ t, kind: "next", node, name: pick.pick(names) });
  }
}

/** Crashes of a running node (never the last one running) and their restarts after the downtime, interleaved with the scripted crashes. */
function addCrashNemesis(actions: Action[], scenario: Scenario, streams: Streams, c: { every: number; downtime: [number, number] }): void {
  const r = streams.get(STREAM.crashNemesis);
  const down = new Set<string>();
  const added: Action[] = [];
  let pending: { t: number; node: string }[] = [];
  let i = 0;
  for (let t = c.every; t < scenario.duration; t += c.every) {
    for (; i < actions.length && actions[i]!.t <= t; i++) track(actions[i]!, down);
    for (const p of pending) if (p.t <= t) down.delete(p.node);
    pending = pending.filter((p) => p.t > t);
    const running = scenario.nodes.filter((x) => !down.has(x));
    if (running.length <= 1) continue;
    const node = running[r.int(0, running.length - 1)]!;
    down.add(node);
    added.push({ t, kind: "crash", node, by: "nemesis" });
    const up = t + r.int(c.downtime[0], c.downtime[1]);
    added.push({ t: up, kind: "restart", node, by: "nemesis" });
    pending.push({ t: up, node });
  }
  actions.push(...added);
  sortByTime(actions);
}

function track(a: Action, down: Set<string>): void {
  if (a.kind === "crash") down.add(a.node);
  else if (a.kind === "restart") down.delete(a.node);
}

/** Stable: actions at the same time keep their order (steps before the workload's ops, as listed). */
function sortByTime(actions: Action[]): void {
  const keyed = actions.map((a, i) => [a, i] as const);
  keyed.sort((x, y) => x[0].t - y[0].t || x[1] - y[1]);
  actions.splice(0, actions.length, ...keyed.map(([a]) => a));
}
