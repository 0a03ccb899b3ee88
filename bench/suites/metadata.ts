/**
 * Metadata on the wire and at rest (docs/design.md, "Performance": "bytes per element after churn, OR-Set
 * vs 2P-Set; delta vs full-state bytes"). Sizes, not times: every figure is a byte count from
 * the types' own codecs, deterministic for a given seed.
 *
 * - Churn: add e(j), remove e(j − W), so W elements stay live; encoded bytes per live element.
 * - Store of N customer records with field updates (core/store StoreReplica):
 *   bytes per update shipped as a delta message vs as the full store state;
 *   one anti-entropy round after a peer missed k updates: digest + answer vs the full state;
 *   the same answer once the delta log is compacted (whole objects instead of joined deltas).
 * - Simulator: the crm-store-digest scenario's stats.metadataBytes with digest and with
 *   full-state anti-entropy (everything on the wire: deltas, digests, answers, states).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { orSet } from "../../core/crdt/or-set.ts";
import { twoPhaseSet } from "../../core/crdt/two-phase-set.ts";
import type { Op, StateCrdt } from "../../core/contract.ts";
import { resolveAnyBuiltin, resolveBuiltin } from "../../core/registry.ts";
import { StoreReplica } from "../../core/store/replica.ts";
import type { StoreCrdt } from "../../core/store/store-crdt.ts";
import { Rng } from "../../sim/rng.ts";
import { Simulator } from "../../sim/engine/simulator.ts";
import { simulate } from "../../sim/index.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import type { BenchRow } from "../types.ts";

export const name = "metadata";

const here = dirname(fileURLToPath(import.meta.url));
const CHURN_OPS = 100_000;
const LIVE = 100;
const RECORDS = 1000;
const UPDATES = 2000;

function churn(crdt: StateCrdt): { bytes: number; live: number } {
  const ctx = { replica: "a", now: () => 0 };
  let s = crdt.init("a");
  let ops = 0;
  for (let j = 0; ops < CHURN_OPS; j++) {
    s = crdt.update(s, { op: "add", args: [j] }, ctx).state;
    ops++;
    if (j >= LIVE && ops < CHURN_OPS) {
      s = crdt.update(s, { op: "remove", args: [j - LIVE] }, ctx).state;
      ops++;
    }
  }
  return { bytes: crdt.codec!.encode(s).length, live: (crdt.value(s) as unknown[]).length };
}

const CRM = resolveBuiltin({
  type: "store",
  collections: { customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } } },
}) as unknown as StoreCrdt;

const id = (i: number) => `cust-${String(i).padStart(5, "0")}`;

/** A random field update of one of the N customers. */
function fieldUpdate(rng: Rng): Op {
  const c = id(rng.int(0, RECORDS - 1));
  const k = rng.int(0, 2);
  if (k === 0) return { op: "set", args: ["customers", c, "phone", `555-${rng.int(1000, 9999)}`] };
  if (k === 1) return { op: "set", args: ["customers", c, "email", `${c}-${rng.int(0, 99)}@example.org`] };
  return { op: "inc", args: ["customers", c, "views", rng.int(1, 5)] };
}

/** Two replicas holding the same N customers (every record written once, delivered to both). */
function populated(): { a: StoreReplica; b: StoreReplica; rng: Rng } {
  let clock = 0;
  const a = new StoreReplica("a", CRM, () => clock++);
  const b = new StoreReplica("b", CRM, () => clock++);
  for (let i = 0; i < RECORDS; i++) b.receive(a.update({ op: "set", args: ["customers", id(i), "email", `${id(i)}@example.org`] }));
  return { a, b, rng: new Rng("bench/metadata", 42) };
}

function storeRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  const { a, rng } = populated();
  let deltaBytes = 0;
  let stateBytes = 0;
  let sampled = 0;
  for (let u = 0; u < UPDATES; u++) {
    const msg = a.update(fieldUpdate(rng));
    deltaBytes += a.codecs.delta.encode(msg).length;
    // State shipping sends the whole store per update; sampled every 20th update (it only grows).
    if (u % 20 === 0) {
      stateBytes += CRM.codec!.encode(a.state).length;
      sampled++;
    }
  }
  const perDelta = deltaBytes / UPDATES;
  const perState = stateBytes / sampled;
  const note = `${RECORDS} customer records (mv phone, lww email, pn views), ${UPDATES} random field updates`;
  rows.push({ suite: name, name: "store: bytes per update, delta message", value: perDelta, unit: "B/update", note });
  rows.push({ suite: name, name: "store: bytes per update, full state", value: perState, unit: "B/update", note: `${note}; full/delta = ${Math.round(perState / perDelta)}x` });

  for (const k of [1, 10, 100]) {
    const { a: src, b: peer, rng: r } = populated();
    for (let u = 0; u < k; u++) src.update(fieldUpdate(r)); // the peer missed all k
    const digest = peer.codecs.digest.encode(peer.digest()).length;
    const answer = src.codecs.sync.encode(src.missing(peer.digest())).length;
    const full = CRM.codec!.encode(src.state).length;
    src.compactLog();
    const compacted = src.codecs.sync.encode(src.missing(peer.digest())).length;
    const what = `one round after the peer missed ${k} update${k === 1 ? "" : "s"}`;
    rows.push({
      suite: name,
      name: `store AE, ${what}: digest + answer`,
      value: digest + answer,
      unit: "B/round",
      note: `digest ${digest} B + answer ${answer} B (joined deltas)`,
    });
    rows.push({ suite: name, name: `store AE, ${what}: full state`, value: full, unit: "B/round", note: `${Math.round(full / (digest + answer))}x the digest round` });
    rows.push({
      suite: name,
      name: `store AE, ${what}: digest + answer, log compacted`,
      value: digest + compacted,
      unit: "B/round",
      note: "whole objects the peer lacks instead of deltas",
    });
  }
  return rows;
}

async function simRows(): Promise<BenchRow[]> {
  const file = join(here, "..", "..", "scenarios", "crm-store-digest.json");
  const sc = JSON.parse(readFileSync(file, "utf8")) as Scenario & { $schema?: string };
  delete sc.$schema;
  const baseDir = dirname(file);
  const digest = await simulate(sc, { trace: false, baseDir });
  const state = await simulate({ ...sc, sync: { ...sc.sync, antiEntropy: "state" } }, { trace: false, baseDir });
  const d = digest.summary.stats.metadataBytes;
  const s = state.summary.stats.metadataBytes;
  return [
    { suite: name, name: "sim crm-store-digest: wire bytes, digest AE", value: d, unit: "B", note: `3 nodes, 5% loss, 2 s partition; converged ${digest.summary.ok}` },
    {
      suite: name,
      name: "sim crm-store-digest: wire bytes, full-state AE",
      value: s,
      unit: "B",
      note: `same final store: ${JSON.stringify(digest.summary.final) === JSON.stringify(state.summary.final)}; ${(s / d).toFixed(1)}x digest`,
    },
  ];
}

/**
 * Op mode: ops each replica holds for retransmission at the end of a long op-counter run, with
 * causal-stability collection (the default) and without it.
 */
function opStoreRows(): BenchRow[] {
  const sc: Scenario = {
    name: "bench-op-store",
    nodes: ["a", "b", "c", "d"],
    crdt: "op-counter",
    duration: 60_000,
    sync: { mode: "op", antiEntropyMs: 200 },
    network: { latency: { dist: "uniform", min: 2, max: 60 }, loss: 0.05, duplicate: 0.1 },
    workload: { ratePerNode: 150 },
  };
  const held = (gc: boolean) => {
    const sim = new Simulator(sc, resolveAnyBuiltin("op-counter") as never, { seed: 3, trace: false, crdtName: "op-counter", opStoreGc: gc });
    sim.runMain();
    sim.runFinal();
    return Math.max(...sim.replicas.map((r) => r.op!.held));
  };
  const off = held(false),
    on = held(true);
  const note = `op-counter, 4 nodes × 150 ops/s, 60 s virtual, 5 % loss, 10 % dup; most held by any replica at the end`;
  return [
    { suite: name, name: "op store: ops held, causal-stability collection", value: on, unit: "ops", note },
    { suite: name, name: "op store: ops held, never collected", value: off, unit: "ops", note: `every op ever issued; ${Math.round(off / on)}x` },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const or = churn(orSet);
  const tp = churn(twoPhaseSet);
  const churnNote = `${CHURN_OPS.toLocaleString("en-US")} ops (add e(j), remove e(j−${LIVE})), ${LIVE} live`;
  return [
    { suite: name, name: "or-set: bytes per live element after churn", value: or.bytes / or.live, unit: "B/elem", note: `${churnNote}, ${or.bytes} B` },
    { suite: name, name: "2p-set: bytes per live element after churn", value: tp.bytes / tp.live, unit: "B/elem", note: `${churnNote}, ${tp.bytes} B (tombstones)` },
    ...storeRows(),
    ...(await simRows()),
    ...opStoreRows(),
  ];
}
