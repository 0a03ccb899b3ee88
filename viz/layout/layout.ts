/**
 * The layout: a pure function from a parsed trace (+ summary, + scenario) to the timeline model.
 * No DOM, no clock, no randomness: the same run gives the same model, so every view built from
 * it is byte-identical too.
 */
import type { Summary } from "../../sim/run-types.ts";
import type { AckEv, BufferEv, DeliverEv, DropEv, DuplicateEv, Event, JumpEv, LostEv, NodeEv, ParsedTrace, SendEv, StreamedTrace, UpdateEv } from "../trace.ts";
import { laneOrder, lanesOf, type ScenarioInfo } from "./lanes.ts";
import { A, K, type Band, type Kind, type Model } from "./model.ts";
import { anomalyFlags, markExpected } from "./anomaly-flags.ts";
import { convergenceFlags } from "./convergence.ts";
import { serviceMarks } from "./service-marks.ts";
import { TextTableBuilder } from "./text-table.ts";
import { formatVV, groupsLabel, linksLabel, opLabel } from "./text.ts";

export type LayoutInput = {
  /** The events may be a stream (viz/trace.ts streamTraceFile): read once, in order, none of them kept. */
  trace: ParsedTrace | StreamedTrace;
  summary?: Summary | null;
  scenario?: ScenarioInfo | null;
  /** Values longer than this (JSON chars) are cut with "…" so a huge sequence can't bloat the page. */
  maxValueChars?: number;
};

export function layoutRun(input: LayoutInput): Model {
  const { trace, summary = null, scenario = null } = input;
  const maxChars = input.maxValueChars ?? 2000;
  const names = laneOrder(trace, scenario);
  const laneOf = new Map(names.map((n, i) => [n, i]));
  const strs: string[] = [];
  const strIdx = new Map<string, number>();
  const str = (s: string): number => {
    let i = strIdx.get(s);
    if (i === undefined) strIdx.set(s, (i = strs.push(s) - 1));
    return i;
  };
  const vvs = new TextTableBuilder(),
    vals = new TextTableBuilder();
  const vvId = (vv: Parameters<typeof formatVV>[0], lane: number): number => vvs.id(formatVV(vv, names), lane);
  const valId = (v: unknown, lane: number): number => {
    const j = JSON.stringify(v) ?? "null";
    return vals.id(j.length > maxChars ? j.slice(0, maxChars) + "…" : j, lane);
  };
  // The events every view reads past the main loop (clock steps, the engine's closing lines), kept
  // aside so a streamed trace need not be read twice: per-message events are the bulk of a run.
  const rare: Event[] = [];

  const ev: Model["ev"] = { t: [], lane: [], kind: [], vv: [], val: [], info: [], src: [], msg: [] };
  const ar: Model["arrows"] = { s: [], d: [], t: [], to: [], st: [], h: [], mk: [] };
  const bands: Band[] = [];
  const nl = names.length;
  // Per lane: what the replica knows and shows now, carried onto events that don't print it.
  const curVV = names.map((_, l) => vvId({}, l));
  const curVal = new Array<number>(nl).fill(-1);
  const open = new Map<string, Band>();
  const sendOf = new Map<number, number>(); // msg id → send event index (a copy maps to the original's)
  const arrowOf = new Map<number, number>(); // msg id → arrow index
  const deliverOf = new Map<number, number>(); // msg id → its latest deliver event index
  const opOf = new Map<string, string>(); // update id "node:seq" → its op label (for acks and losses)
  const lostSinceCrash = new Array<boolean>(nl).fill(false);
  const idLabel = (id: unknown): string => {
    const [node, seq] = Array.isArray(id) ? id : [];
    const key = `${node}:${seq}`;
    const op = opOf.get(key);
    return op ? `${op} (${key})` : key;
  };
  const tags: Model["tags"] = { ev: [], s: [] };
  const serviceMark = serviceMarks();
  let tLast = 0;

  const push = (t: number, lane: number, kind: Kind, info: string, src = -1, msg = -1): number => {
    ev.t.push(t);
    ev.lane.push(lane);
    ev.kind.push(kind);
    ev.vv.push(curVV[lane]!);
    ev.val.push(curVal[lane]!);
    ev.info.push(str(info));
    ev.src.push(src);
    ev.msg.push(msg);
    return ev.t.length - 1;
  };
  const arrow = (s: number, to: number, st: Model["arrows"]["st"][number], mk: number): number => {
    ar.s.push(s);
    ar.d.push(-1);
    ar.t.push(-1);
    ar.to.push(to);
    ar.st.push(st);
    ar.h.push(-1);
    ar.mk.push(mk);
    return ar.s.length - 1;
  };
  const openBand = (key: string, b: Band) => {
    closeBand(key, b.from);
    open.set(key, b);
    bands.push(b);
  };
  const closeBand = (key: string, t: number) => {
    const b = open.get(key);
    if (b) {
      b.to = t;
      open.delete(key);
    }
  };

  for (const e of trace.events as Iterable<Event>) {
    tLast = Math.max(tLast, e.t);
    if (!FREQUENT.has(e.type)) rare.push(e);
    switch (e.type) {
      case "update": {
        const u = e as UpdateEv;
        const l = laneOf.get(u.node);
        if (l === undefined) break;
        curVV[l] = vvId(u.vv, l);
        curVal[l] = valId(u.value, l);
        const label = opLabel(u.op, u.args);
        if (Array.isArray(u.id)) opOf.set(`${u.id[0]}:${u.id[1]}`, label);
        push(u.t, l, K.update, label);
        break;
      }
      case "send": {
        const s = e as SendEv;
        const l = laneOf.get(s.from),
          to = laneOf.get(s.to);
        if (l === undefined || to === undefined) break;
        const i = push(s.t, l, K.send, `${s.kind} → ${s.to} (${s.bytes} B)`, -1, s.msg);
        sendOf.set(s.msg, i);
        arrowOf.set(s.msg, arrow(i, to, A.inflight, str(s.kind)));
        break;
      }
      case "duplicate": {
        // The copy is a new message id with no send of its own: draw it from the original's send.
        const d = e as DuplicateEv;
        const a0 = arrowOf.get(d.of);
        if (a0 === undefined) break;
        sendOf.set(d.msg, ar.s[a0]!);
        arrowOf.set(d.msg, arrow(ar.s[a0]!, ar.to[a0]!, A.duplicate, ar.mk[a0]!));
        break;
      }
      case "hold": {
        const a = arrowOf.get((e as DropEv).msg);
        if (a !== undefined && ar.h[a] === -1) {
          ar.h[a] = e.t;
          if (ar.st[a] === A.inflight) ar.st[a] = A.held;
        }
        break;
      }
      case "drop": {
        const a = arrowOf.get((e as DropEv).msg);
        if (a !== undefined) {
          ar.st[a] = A.dropped;
          ar.t[a] = e.t;
        }
        break;
      }
      case "deliver": {
        const d = e as DeliverEv;
        const l = laneOf.get(d.to);
        if (l === undefined) break;
        const vv = vvId(d.vv, l);
        const val = valId(d.value, l);
        // A service message names its kind (seq.next, ramp.prepare, …): say which it was.
        const svcKind = (d as { kind?: unknown }).kind;
        const what = typeof svcKind === "string" ? `${svcKind} ` : "";
        // A merge taught the replica something (its knowledge or value moved); a receive did not.
        // A service message never touches the replica (its line only reports the replica's state),
        // so it is a receive even when it is the lane's first event and there is nothing to compare.
        const kind = what === "" && (vv !== curVV[l] || val !== curVal[l]) ? K.merge : K.receive;
        curVV[l] = vv;
        curVal[l] = val;
        const src = sendOf.get(d.msg) ?? -1;
        const i = push(d.t, l, kind, `${what}from ${d.from}`, src, d.msg);
        deliverOf.set(d.msg, i);
        let a = arrowOf.get(d.msg);
        // The same message id delivered twice is a duplicate too (whatever the engine calls it).
        if (a !== undefined && ar.d[a] !== -1) arrowOf.set(d.msg, (a = arrow(ar.s[a]!, l, A.duplicate, ar.mk[a]!)));
        if (a !== undefined) {
          ar.d[a] = i;
          ar.t[a] = d.t;
          if (ar.st[a] === A.inflight) ar.st[a] = A.delivered;
        }
        break;
      }
      case "crash":
      case "restart":
      case "pause":
      case "resume": {
        const n = e as NodeEv;
        const l = laneOf.get(n.node);
        if (l === undefined) break;
        if (n.type === "crash") openBand(`crash:${l}`, { kind: "crash", lane: l, from: n.t, to: -1, label: `${n.node} crashed` });
        if (n.type === "crash") lostSinceCrash[l] = false;
        if (n.type === "restart") closeBand(`crash:${l}`, n.t);
        if (n.type === "pause") openBand(`pause:${l}`, { kind: "pause", lane: l, from: n.t, to: -1, label: `${n.node} paused` });
        if (n.type === "resume") closeBand(`pause:${l}`, n.t);
        let info = n.type === "crash" ? "crashed: volatile state lost" : n.type;
        if (n.type === "restart") {
          // What the replica recovered: from the trace, or — for traces without it — the state
          // before the crash when the crash lost nothing; else unknown until its next event.
          if (n.vv !== undefined) {
            curVV[l] = vvId(n.vv, l);
            curVal[l] = valId(n.value, l);
          } else if (lostSinceCrash[l]) curVal[l] = -1;
          info =
            n.vv !== undefined || !lostSinceCrash[l]
              ? "restarted: recovered this state from durable storage"
              : "restarted from durable storage (recovered state not in this trace)";
        }
        push(n.t, l, K[n.type], info);
        break;
      }
      case "ack": {
        const a = e as AckEv;
        const l = laneOf.get(a.node);
        if (l !== undefined) push(a.t, l, K.ack, `acknowledged ${idLabel(a.id)}: durable, a crash can no longer lose it`);
        break;
      }
      case "unsynced-lost": {
        const x = e as LostEv;
        const l = laneOf.get(x.node);
        if (l === undefined) break;
        lostSinceCrash[l] = true;
        const ups = Array.isArray(x.updates) ? x.updates : [];
        const records = `${x.records} unsynced log record${x.records === 1 ? "" : "s"}`;
        const own = ups.length ? `, with ${ups.length} own write${ups.length === 1 ? "" : "s"} never acknowledged: ${ups.map(idLabel).join(", ")}` : "";
        push(x.t, l, K.lost, `crash lost ${records}${own}`);
        break;
      }
      case "seq":
      case "txn": {
        const l = laneOf.get((e as { node?: string }).node ?? "");
        if (l === undefined) break;
        const sm = serviceMark(e as { type: string });
        const i = push(e.t, l, sm.tone === "ok" ? K.serviceOk : sm.tone === "fail" ? K.serviceFail : K.service, sm.label);
        if (sm.tag) {
          tags.ev.push(i);
          tags.s.push(str(sm.tag));
        }
        break;
      }
      case "buffer": {
        // Follows its deliver line: that delivery is drawn as buffered.
        const b = e as BufferEv;
        const i = deliverOf.get(b.msg);
        if (i === undefined || ev.lane[i] !== laneOf.get(b.to)) break;
        ev.kind[i] = K.buffered;
        ev.info[i] = str(`${strs[ev.info[i]!]} · ${b.ops} op${b.ops === 1 ? "" : "s"} buffered until causally ready (${b.buffered} waiting)`);
        break;
      }
      case "clock-jump": {
        const j = e as JumpEv;
        const l = laneOf.get(j.node);
        if (l !== undefined) push(j.t, l, K.jump, `clock jumps ${j.by >= 0 ? "+" : "−"}${Math.abs(j.by)} ms`);
        break;
      }
      case "clock-skew": {
        // The clock nemesis gave a node a new skew: a step of its clock like a jump.
        const j = e as Event & { node?: unknown; skew?: unknown };
        const l = typeof j.node === "string" ? laneOf.get(j.node) : undefined;
        if (l !== undefined && typeof j.skew === "number") push(j.t, l, K.jump, `clock set to skew ${j.skew >= 0 ? "+" : "−"}${Math.abs(j.skew)} ms`);
        break;
      }
      case "partition":
        closeBand("cut", e.t);
        openBand("net", { kind: "partition", lane: -1, from: e.t, to: -1, label: groupsLabel(e as { groups?: unknown }, names) });
        break;
      case "cut":
        closeBand("net", e.t);
        openBand("cut", { kind: "cut", lane: -1, from: e.t, to: -1, label: linksLabel(e as { links?: unknown }) });
        break;
      case "heal":
        closeBand("net", e.t);
        closeBand("cut", e.t);
        break;
    }
  }

  const checks = summary?.checks ?? [];
  const kept = { meta: trace.meta, events: rare };
  const converged = markExpected(convergenceFlags(kept, summary, ev, nl), checks);
  const flags = [...converged, ...anomalyFlags(checks, laneOf, converged)].sort((a, b) => a.t - b.t);
  const t1 = Math.max(tLast, ...flags.map((f) => f.t), 1);
  for (const b of bands) if (b.to < 0) b.to = t1;
  for (let a = 0; a < ar.t.length; a++) if (ar.t[a]! < 0) ar.t[a] = t1;

  return {
    scenario: summary?.scenario ?? trace.meta?.scenario ?? scenario?.name ?? "run",
    description: scenario?.description ?? "",
    seed: summary?.seed ?? trace.meta?.seed ?? 0,
    crdt: summary?.crdt ?? trace.meta?.crdt ?? "",
    ok: summary?.ok ?? true,
    traceHash: summary?.traceHash ?? "",
    checks: summary?.checks ?? [],
    stats: summary?.stats ?? null,
    lanes: lanesOf(names, scenario, kept),
    t0: 0,
    t1,
    ev,
    arrows: ar,
    bands,
    flags,
    tags,
    strs,
    texts: { vv: vvs.table, val: vals.table },
  };
}

/** The per-message event types: everything else is kept aside for the views that read the trace again. */
const FREQUENT = new Set(["update", "send", "deliver", "drop", "duplicate", "hold", "release", "ack", "buffer"]);
