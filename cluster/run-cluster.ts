/**
 * runCluster: a scenario against real `memoconductor node` processes. The schedule (plan.ts) is
 * drawn from the seed; it is carried out on the wall clock — ops as client calls on their node,
 * faults through the link proxies and signals to the processes — and recorded as a history.
 * After `duration` every fault heals, paused nodes resume, crashed ones restart, and the run
 * waits until the nodes' states agree (or the settle time runs out); then the checks run on the
 * history and the final states. Real runs are not deterministic: the same seed gives the same
 * schedule, not the same interleaving.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalKey, type Crdt } from "../core/index.ts";
import type { CheckResult, Scenario } from "../sim/index.ts";
import { DEFAULT_ANTI_ENTROPY_MS } from "../sim/index.ts";
import { checkHistory } from "./checks/index.ts";
import { ClusterNodes } from "./cluster-nodes.ts";
import { type HistoryEntry, HistoryRecorder } from "./history.ts";
import { LinkFaults, type LinkStats } from "./link-faults.ts";
import { type Action, type Plan, planRun } from "./plan.ts";
import { type ClusterCrdt, clusterSupport, type Support } from "./support.ts";
import type { ObjectState, WriteAck } from "../node/index.ts";
import { ackRecord, type RegisterKind, registerKind, stateRecord } from "./registers.ts";

/** The one object each node's store holds: collection "data", id "value". */
export const COLLECTION = "data";
export const OBJECT = "value";
/**
 * A RAMP scenario's keys (services.ramp): collection "ramp", one lww-register object per key,
 * on every node. A write step's value v for key k is stored as { txn, value: v }, `txn` the
 * write's token (writer node / its number), the same for each key it writes: a read tells which
 * transaction each value came from (the read-atomic check, checks/read-atomic.ts).
 */
export const RAMP_COLLECTION = "ramp";

export type ClusterOptions = {
  /** The scenario file, as named in messages. */
  file: string;
  scenario: Scenario;
  crdt: Crdt;
  crdtName: string;
  seed: number;
  /** Data directories, logs and the schema file go here. */
  workDir: string;
  /** The node command without arguments: [process.execPath, path of the memoconductor CLI]. */
  nodeCommand: readonly string[];
  /** Extra flags for every node (tests: the deliberately broken --test-ack-before-commit). */
  nodeArgs?: readonly string[];
  opTimeoutMs?: number;
  startTimeoutMs?: number;
  /** How long after the final heal the nodes may take to agree (default: 4 digest rounds + 5 s). */
  settleMs?: number;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
};

export type ClusterRun = {
  plan: Plan;
  support: Support;
  history: HistoryEntry[];
  /** Trace-shaped events on the wall clock (ms since the start): faults, acknowledged updates, skips. */
  events: Record<string, unknown>[];
  finals: Record<string, unknown>;
  checks: CheckResult[];
  links: LinkStats;
  /** Wall-clock ms of the whole run, and when (after the start) the nodes were last seen to agree. */
  wallMs: number;
  convergedAtMs: number | null;
};

/** The scenario asks for something the cluster cannot reproduce faithfully: one line per refusal. */
export class ClusterRefused extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

export async function runCluster(o: ClusterOptions): Promise<ClusterRun> {
  const s = o.scenario;
  const support = clusterSupport(o.file, s, o.crdtName);
  if (support.refused.length > 0) throw new ClusterRefused(support.refused);
  const log = o.log ?? (() => {});
  const plan = planRun(s, o.seed, o.crdt.ops);
  const opTimeoutMs = o.opTimeoutMs ?? 5000;
  // The simulator's default period when the scenario names none (0: no periodic rounds).
  const antiEntropyMs = s.sync?.antiEntropyMs ?? DEFAULT_ANTI_ENTROPY_MS;
  const digestMs = antiEntropyMs > 0 ? antiEntropyMs : 2_147_483_647;
  const settleMs = o.settleMs ?? 4 * Math.min(digestMs, 3000) + 5000;
  const schemaFile = join(o.workDir, "schema.json");
  writeFileSync(schemaFile, JSON.stringify({ collections: { [COLLECTION]: s.crdt, ...(s.services?.ramp ? { [RAMP_COLLECTION]: "lww-register" } : {}) } }) + "\n");
  const faults = new LinkFaults(s.network ?? {}, o.seed);
  const syncLag = s.storage?.syncLagMs ?? 0;
  const nodes = new ClusterNodes(
    {
      names: s.nodes,
      workDir: o.workDir,
      command: o.nodeCommand,
      nodeArgs: o.nodeArgs ?? [],
      schemaFile,
      digestMs,
      ...(syncLag > 0 ? { groupMs: syncLag } : {}),
      offsets: plan.initialOffsets,
      sequencers: sequencersOf(s, plan),
      startTimeoutMs: o.startTimeoutMs ?? 60_000,
      restarted: [...new Set(plan.actions.flatMap((a) => (a.kind === "crash" ? [a.node] : [])))].sort(),
    },
    faults,
  );
  const events: Record<string, unknown>[] = [];
  let rec = new HistoryRecorder(performance.now());
  const empty = o.crdt.value(o.crdt.init("init"));
  const kind = registerKind(o.crdtName);
  try {
    log(`starting ${s.nodes.length} node processes`);
    await nodes.start();
    const start = performance.now();
    rec = new HistoryRecorder(start);
    const at = () => Math.round(rec.now());
    const inFlight = new Set<Promise<unknown>>();
    const track = (p: Promise<unknown>) => {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };
    let seq = 0;
    let txnSeq = 0;
    // A node's crash and restart run one after the other, in schedule order, whatever each takes.
    const chains = new Map<string, Promise<void>>();
    const chain = (node: string, step: () => Promise<void>) => {
      const p = (chains.get(node) ?? Promise.resolve()).then(step);
      chains.set(node, p);
      track(p);
    };
    const apply = (a: Action): void => {
      switch (a.kind) {
        case "op": {
          const state = nodes.state.get(a.node);
          const client = nodes.clients.get(a.node);
          if (state !== "up" || !client) {
            rec.skipped(a.node, a.op, a.args, `node ${state ?? "unknown"}`);
            events.push({ t: at(), type: "skip", node: a.node, reason: state === "paused" ? "paused" : "crashed", op: a.op });
            return;
          }
          track(
            rec
              .record(
                a.node,
                a.op,
                a.args,
                () => client.write(COLLECTION, OBJECT, a.op, a.args),
                opTimeoutMs,
                (ack, entry) => {
                  entry.ack = ackRecord(ack as WriteAck, kind, o.crdt);
                  return undefined;
                },
              )
              .then((h) => {
                if (h.type === "ok") events.push({ t: Math.round(h.complete), type: "update", node: a.node, op: a.op, args: a.args, id: [a.node, ++seq], vv: {}, value: null });
                else events.push({ t: Math.round(h.complete), type: "client-" + h.type, node: a.node, op: a.op, error: h.error });
              }),
          );
          return;
        }
        case "txn": {
          const client = nodes.clients.get(a.node);
          const state = nodes.state.get(a.node);
          const write = a.write;
          const args = write ? [{ write, token: `${a.node}/${++txnSeq}` }] : [{ read: a.read ?? [] }];
          if (state !== "up" || !client) {
            rec.skipped(a.node, "txn", args, `node ${state ?? "unknown"}`);
            events.push({ t: at(), type: "skip", node: a.node, reason: state === "paused" ? "paused" : "crashed", op: "txn" });
            return;
          }
          const timeout = s.services?.ramp?.timeoutMs ?? opTimeoutMs;
          const token = (args[0] as { token?: string }).token;
          const call = write
            ? () =>
                client.txn(
                  Object.keys(write)
                    .sort()
                    .map((k) => ({ collection: RAMP_COLLECTION, id: k, op: "set", args: [{ txn: token, value: write[k] }] })),
                )
            : async () => {
                const keys = a.read ?? [];
                const vals = await client.getMany(keys.map((id) => ({ collection: RAMP_COLLECTION, id })));
                return Object.fromEntries(keys.map((k, i) => [k, vals[i] ?? null]));
              };
          track(
            rec
              .record(a.node, "txn", args, call, timeout)
              .then((h) => void events.push({ t: Math.round(h.complete), type: "client-txn", node: a.node, event: write ? "write" : "read", status: h.type, req: h.index })),
          );
          return;
        }
        case "next": {
          const client = nodes.clients.get(a.node);
          const state = nodes.state.get(a.node);
          if (state !== "up" || !client) {
            rec.skipped(a.node, "next", [a.name], `node ${state ?? "unknown"}`);
            events.push({ t: at(), type: "skip", node: a.node, reason: state === "paused" ? "paused" : "crashed", op: "next" });
            return;
          }
          const timeout = s.services?.sequencer?.timeoutMs ?? opTimeoutMs;
          track(
            rec
              .record(a.node, "next", [a.name], () => client.next(a.name), timeout)
              .then((h) => {
                const base = { t: Math.round(h.complete), type: "seq", node: a.node, name: a.name, req: h.index };
                events.push(h.type === "ok" ? { ...base, event: "ok", n: h.value } : { ...base, event: "timeout" });
              }),
          );
          return;
        }
        case "block":
          faults.block(a.links, a.replace);
          if (a.groups && a.replace) events.push({ t: at(), type: "partition", by: a.by, shape: a.shape, groups: a.groups });
          else if (a.replace) events.push({ t: at(), type: "partition", by: a.by, shape: a.shape, links: a.links });
          else events.push({ t: at(), type: "cut", links: a.links });
          return;
        case "heal":
          faults.heal();
          events.push({ t: at(), type: "heal", by: a.by });
          return;
        case "crash":
          events.push({ t: at(), type: "crash", node: a.node, ...(a.by === "nemesis" ? { by: a.by } : {}) });
          nodes.markDown(a.node); // at once: no op is sent to it from now on
          chain(a.node, () => nodes.crash(a.node));
          return;
        case "restart":
          chain(a.node, () =>
            nodes.restart(a.node).then(
              () => void events.push({ t: at(), type: "restart", node: a.node, ...(a.by === "nemesis" ? { by: a.by } : {}), scheduled: a.t }),
              (e: unknown) => log(`restart of ${a.node} failed: ${e instanceof Error ? e.message : String(e)}`),
            ),
          );
          return;
        case "pause":
          nodes.pause(a.node);
          events.push({ t: at(), type: "pause", node: a.node });
          return;
        case "resume":
          nodes.resume(a.node);
          events.push({ t: at(), type: "resume", node: a.node });
          return;
        case "clock":
          nodes.setClock(a.node, a.offset);
          events.push({ t: at(), type: "clock-jump", node: a.node, by: a.by, clock: a.offset, ...(a.source === "nemesis" ? { source: a.source } : {}) });
          return;
      }
    };

    for (const a of plan.actions) {
      await sleepUntil(start + a.t);
      apply(a);
    }
    await sleepUntil(start + s.duration);
    log(`schedule done at ${at()} ms; healing and waiting for the nodes to agree`);
    await Promise.all(inFlight);
    faults.heal();
    events.push({ t: at(), type: "heal", by: "final" });
    for (const name of s.nodes) nodes.resume(name);
    await Promise.all(s.nodes.map((n) => nodes.restart(n)));
    const healedAt = performance.now();
    const finals = await settle(nodes, s.nodes, rec, empty, healedAt + settleMs, opTimeoutMs, kind && { kind, crdt: o.crdt });
    const equal = new Set(Object.values(finals.values).map((v) => canonicalKey(v))).size <= 1;
    const convergedAtMs = equal ? Math.round(finals.at - start) : null;
    events.push({ t: at(), type: "converged", ok: equal, at: convergedAtMs, rounds: 0, values: finals.values });
    const checks = checkHistory({
      crdt: o.crdtName as ClusterCrdt,
      history: rec.entries,
      finals: finals.values,
      settled: { equal, afterMs: finals.at - healedAt },
      expectChecks: s.expect?.checks ?? {},
      sequencer: s.services?.sequencer !== undefined,
      ramp: s.services?.ramp !== undefined,
      ...(s.expect && "value" in s.expect ? { expectValue: { value: s.expect.value } } : {}),
    });
    return { plan, support, history: rec.entries, events, finals: finals.values, checks, links: { ...faults.stats }, wallMs: Math.round(performance.now() - start), convergedAtMs };
  } finally {
    faults.close();
    await nodes.stop();
  }
}

/** The sequencer node serves every name the schedule asks for (the simulator's sequencer serves any name). */
function sequencersOf(s: Scenario, plan: Plan): Record<string, string[]> {
  const node = s.services?.sequencer?.node;
  if (node === undefined) return {};
  const names = new Set<string>(s.services?.sequencer?.workload?.names ?? []);
  for (const a of plan.actions) if (a.kind === "next") names.add(a.name);
  if (names.size === 0) names.add("invoice");
  return { [node]: [...names].sort() };
}

/** Reads every node until two rounds in a row show one value everywhere, or `deadline` passes; the reads go into the history. */
async function settle(
  nodes: ClusterNodes,
  names: readonly string[],
  rec: HistoryRecorder,
  empty: unknown,
  deadline: number,
  timeoutMs: number,
  register: { kind: RegisterKind; crdt: Crdt } | undefined,
): Promise<{ values: Record<string, unknown>; at: number }> {
  const readAll = async (record: boolean): Promise<Record<string, unknown>> => {
    const values: Record<string, unknown> = {};
    for (const name of names) {
      const client = nodes.clients.get(name);
      if (!client) continue;
      const read = async () => (await client.get(COLLECTION, OBJECT)) ?? empty;
      // A register's final read takes its state: the value and the writes it shows, in one read.
      const readState = (): Promise<unknown> => client.state(COLLECTION, OBJECT);
      const h = record
        ? register
          ? await rec.record(name, "read", [], readState, timeoutMs, (st, entry) => {
              const { value, record: r } = stateRecord(st as ObjectState, register.kind, register.crdt, empty);
              entry.state = r;
              return value;
            })
          : await rec.record(name, "read", [], read, timeoutMs)
        : await read().then(
            (value) => ({ type: "ok", value, error: "" }),
            (e: unknown) => ({ type: "info", value: null, error: String(e) }),
          );
      values[name] = h.type === "ok" ? h.value : { unreadable: h.error };
    }
    return values;
  };
  let last = "";
  let agreedAt = performance.now();
  for (;;) {
    const values = await readAll(false);
    const key = canonicalKey(values);
    const agree = new Set(Object.values(values).map((v) => canonicalKey(v))).size <= 1;
    if (agree && key !== last) agreedAt = performance.now();
    if ((agree && key === last) || performance.now() > deadline) break;
    last = agree ? key : "";
    await sleep(200);
  }
  // The final reads, the ones the checks judge, go into the history.
  return { values: await readAll(true), at: agreedAt };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sleepUntil(when: number): Promise<void> {
  const ms = when - performance.now();
  return ms > 0 ? sleep(ms) : Promise.resolve();
}
