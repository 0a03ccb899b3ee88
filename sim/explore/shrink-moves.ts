/**
 * The shrinker's moves: pure functions from a scenario to smaller or simpler candidates. Each
 * candidate is still a valid scenario (declared nodes only, ordered times inside the duration),
 * so whatever the shrinker keeps can be written out and replayed as it is.
 */
import { ARG_ALPHABET, parseArgGen } from "../../core/arg-gen.ts";
import type { OpSpec } from "../../core/contract.ts";
import type { MessageRef, Scenario, Step } from "../scenario/types.ts";
import { withFates } from "./freeze.ts";

const mentions = (s: Step, x: string): boolean =>
  ("node" in s && s.node === x) ||
  ("crash" in s && s.crash === x) ||
  ("restart" in s && s.restart === x) ||
  ("pause" in s && s.pause === x) ||
  ("resume" in s && s.resume === x) ||
  ("clockJump" in s && s.clockJump.node === x);

/** The scenario without node `x`: its ops and faults go, partitions and cuts lose it. */
export function withoutNode(sc: Scenario, x: string): Scenario | null {
  if (sc.nodes.length <= 1) return null;
  const steps: Step[] = [];
  for (const s of sc.steps ?? []) {
    if (mentions(s, x)) continue;
    if ("partition" in s) {
      const groups = s.partition.map((g) => g.filter((y) => y !== x)).filter((g) => g.length > 0);
      if (groups.length) steps.push({ at: s.at, partition: groups });
    } else if ("cut" in s) {
      const cut = s.cut.filter(([a, b]) => a !== x && b !== x);
      if (cut.length) steps.push({ at: s.at, cut });
    } else steps.push(s);
  }
  const out: Scenario = { ...sc, nodes: sc.nodes.filter((y) => y !== x), steps };
  const f = sc.network?.fates;
  if (f) {
    const keep = (refs: MessageRef[] | undefined) => (refs ?? []).filter((r) => r.from !== x && r.to !== x);
    out.network = withFates(sc.network!, keep(f.lost), keep(f.duplicated));
  }
  if (sc.clocks && Object.hasOwn(sc.clocks, x)) {
    const { [x]: _gone, ...rest } = sc.clocks;
    if (Object.keys(rest).length) out.clocks = rest;
    else delete out.clocks;
  }
  return out;
}

/**
 * The scenario with node `x` merged into node `into`: x's ops are issued at `into` instead (at
 * the same times), x's faults go, partitions and cuts lose x. Where dropping a node would take
 * ops the failure needs, merging keeps them and still takes a node away.
 */
export function mergeNode(sc: Scenario, x: string, into: string): Scenario | null {
  if (x === into || !sc.nodes.includes(x) || !sc.nodes.includes(into)) return null;
  const moved: Scenario = { ...sc, steps: (sc.steps ?? []).map((s) => ("op" in s && s.node === x ? { ...s, node: into } : s)) };
  // The fates of x's messages (to others than `into`) go with its ops: sent by `into` now.
  const f = sc.network?.fates;
  if (f) {
    const rename = (refs: MessageRef[] | undefined) =>
      (refs ?? []).flatMap((r) => {
        const from = r.from === x ? into : r.from;
        const to = r.to === x ? into : r.to;
        return from === to ? [] : [{ ...r, from, to }];
      });
    moved.network = withFates(sc.network!, rename(f.lost), rename(f.duplicated));
  }
  return withoutNode(moved, x);
}

/** The scenario without node `x`'s ops, the node kept (it still relays and syncs). */
export function withoutOpsOf(sc: Scenario, x: string): Scenario | null {
  const steps = sc.steps ?? [];
  const kept = steps.filter((s) => !("op" in s && s.node === x));
  return kept.length === steps.length || kept.length === 0 ? null : { ...sc, steps: kept };
}

/** The scenario without `size` neighbouring steps from step `i` (any offset, where chunks are aligned). */
export function withoutWindow(sc: Scenario, i: number, size: number): Scenario | null {
  const steps = sc.steps ?? [];
  if (i < 0 || size < 1 || i + size > steps.length || size >= steps.length) return null;
  return { ...sc, steps: [...steps.slice(0, i), ...steps.slice(i + size)] };
}

/** Candidates that switch one network or clock feature off, simplest scenario first. */
export function configMoves(sc: Scenario): Scenario[] {
  const out: Scenario[] = [];
  const net = sc.network ?? {};
  const drop = (key: keyof typeof net) => {
    if (net[key] === undefined) return;
    const { [key]: _gone, ...rest } = net;
    out.push({ ...sc, network: rest });
  };
  if (Object.keys(net).length > 1 || (net.latency && !(net.latency.dist === "constant" && net.latency.ms === 10))) {
    out.push({ ...sc, network: { latency: { dist: "constant", ms: 10 } } });
  }
  drop("fates");
  drop("loss");
  drop("duplicate");
  drop("reorder");
  drop("fifo");
  drop("partitionMode");
  if (net.latency && !(net.latency.dist === "constant" && net.latency.ms === 10)) out.push({ ...sc, network: { ...net, latency: { dist: "constant", ms: 10 } } });
  if (sc.clocks) {
    const { clocks: _gone, ...rest } = sc;
    out.push(rest);
    for (const x of Object.keys(sc.clocks)) {
      const { [x]: _one, ...others } = sc.clocks;
      out.push({ ...sc, clocks: others });
      const c = sc.clocks[x]!;
      if (c.drift) out.push({ ...sc, clocks: { ...sc.clocks, [x]: { ...c, drift: 0 } } });
      if (c.skew && Math.abs(c.skew) > 1) out.push({ ...sc, clocks: { ...sc.clocks, [x]: { ...c, skew: Math.trunc(c.skew / 2) } } });
    }
  }
  if (sc.sync?.mode === "state") out.push({ ...sc, sync: { ...sc.sync, mode: "delta" } });
  // Anti-entropy off: a failure that does not need it then ends when the network drains, instead
  // of after up to 100 idle rounds of it (seconds of a diagram with nothing but digests in it).
  if (sc.sync?.antiEntropyMs !== 0) out.push({ ...sc, sync: { ...sc.sync, antiEntropyMs: 0 } });
  if (sc.storage) {
    const { storage: _gone, ...rest } = sc;
    out.push(rest);
  }
  return out;
}

/**
 * An argument's simpler values inside its generator's domain (core/arg-gen.ts) — so a shrunk
 * scenario only holds ops the workload could have issued — in a well-founded order, so argument
 * moves never cycle: `{int}` toward 0 (then toward the bound nearest 0), `{pick}` toward the front
 * of the list, `{string}` toward "aaa…" (its length is part of the domain: fewer letters other
 * than "a"); a literal has no simpler value.
 */
export function simplerArgs(gen: unknown, x: unknown): unknown[] {
  const g = parseArgGen(gen);
  if (g.kind === "int" && typeof x === "number") {
    const clamp = (v: number) => Math.min(g.hi, Math.max(g.lo, v));
    const size = (v: number) => Math.abs(v - clamp(0));
    return [clamp(0), clamp(Math.sign(x)), clamp(Math.trunc(x / 2))].filter((v) => size(v) < size(x));
  }
  if (g.kind === "pick") {
    const keys = g.values.map((v) => JSON.stringify(v));
    const at = keys.indexOf(JSON.stringify(x));
    return at > 0 ? [g.values[0], g.values[at - 1]] : [];
  }
  if (g.kind === "string" && typeof x === "string") {
    const first = ARG_ALPHABET[0]!;
    const last = Math.max(...[...x].map((c, i) => (c === first ? -1 : i)));
    return last < 0 ? [] : [first.repeat(x.length), x.slice(0, last) + first + x.slice(last + 1)];
  }
  return [];
}

/** Simpler arguments for step i, per the generator of its op in `ops` (the CRDT's alphabet). */
export function argMoves(sc: Scenario, i: number, ops: readonly OpSpec[]): Scenario[] {
  const steps = sc.steps ?? [];
  const s = steps[i];
  if (!s || !("op" in s) || !s.args?.length) return [];
  const spec = ops.find((o) => o.op === s.op);
  const out: Scenario[] = [];
  s.args.forEach((arg, j) => {
    const seen = new Set<string>([JSON.stringify(arg)]);
    for (const c of simplerArgs(spec?.args?.[j], arg)) {
      const key = JSON.stringify(c);
      if (seen.has(key)) continue;
      seen.add(key);
      const args = [...s.args!];
      args[j] = c;
      out.push({ ...sc, steps: steps.map((t, k) => (k === i ? { ...s, args } : t)) });
    }
  });
  return out;
}

/** Smaller clock jumps. */
export function jumpMoves(sc: Scenario, i: number): Scenario[] {
  const steps = sc.steps ?? [];
  const s = steps[i];
  if (!s || !("clockJump" in s) || Math.abs(s.clockJump.by) <= 1) return [];
  const by = s.clockJump.by;
  return [Math.sign(by), Math.trunc(by / 2)].map((b) => ({ ...sc, steps: steps.map((t, k) => (k === i ? { at: s.at, clockJump: { ...s.clockJump, by: b } } : t)) }));
}

/**
 * The named message fates (`network.fates`) moved with the steps: a message sent at a step's old
 * time (the op's broadcast) is sent at its new time, so its fate follows it.
 */
function withFatesMoved(sc: Scenario, move: (t: number) => number): Scenario {
  const f = sc.network?.fates;
  if (!f) return sc;
  const moved = (refs: MessageRef[] | undefined) => (refs ?? []).map((r) => ({ ...r, at: move(r.at) }));
  return { ...sc, network: withFates(sc.network!, moved(f.lost), moved(f.duplicated)) };
}

/** Earlier, denser step times (order and same-instant groups kept) and a shorter duration. */
export function timeMoves(sc: Scenario): Scenario[] {
  const steps = sc.steps ?? [];
  const out: Scenario[] = [];
  const last = steps.length ? steps[steps.length - 1]!.at : 0;
  const distinct = [...new Set(steps.map((s) => s.at))];
  const rank = new Map(distinct.map((t, i) => [t, i]));
  for (const gap of [1000, 100, 10, 1]) {
    const moved = steps.map((s) => ({ ...s, at: rank.get(s.at)! * gap }));
    const move = (t: number) => (rank.has(t) ? rank.get(t)! * gap : t);
    if (moved.some((s, k) => s.at !== steps[k]!.at)) out.push(withFatesMoved({ ...sc, steps: moved, duration: Math.max(moved.at(-1)?.at ?? 0, 0) }, move));
  }
  if (steps.length && steps[0]!.at > 0) {
    const first = steps[0]!.at;
    out.push(withFatesMoved({ ...sc, steps: steps.map((s) => ({ ...s, at: s.at - first })), duration: sc.duration - first }, (t) => Math.max(0, t - first)));
  }
  if (sc.duration > last) out.push({ ...sc, duration: last });
  // Only moves that make the times strictly smaller in total count, so time moves cannot cycle.
  const weight = (c: Scenario) => c.duration + (c.steps ?? []).reduce((sum, s) => sum + s.at, 0);
  return out.filter((c) => c.duration >= 0 && c.duration <= sc.duration && weight(c) < weight(sc));
}
