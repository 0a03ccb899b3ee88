/**
 * Replays one history and checks the laws on it. Equality is observable equality — deep-equal
 * `value()`s (canonical JSON) — plus equal canonical encodings when the type has a codec: that is
 * all a plugin author can be held to, where the builtin tests (core/_test/crdt-laws.ts) compare
 * bytes. Returns the first violation with enough context to print a counterexample, or null.
 * An exception thrown by the CRDT is a violation too (the simulator would stop on it).
 */
import type { AnsweringCrdt, Crdt, Ctx, OpCrdt, StateCrdt } from "../../core/contract.ts";
import { adaptAnswers, type Outbox } from "../engine/answers.ts";
import { canonicalKey } from "../../core/util/json.ts";
import { REPLICA_IDS, opText, stepText, type History, type OpStep, type StateStep } from "./history.ts";
import { PluginError } from "../plugin/guard.ts";
import { detachedCtx } from "../plugin/plugin-ctx.ts";

export type Side = { label: string; value: unknown };
export type Violation = {
  law: string;
  /** The history as printed lines (the counterexample). */
  history: string[];
  /** Ops issued per replica, in order. */
  ops: Record<string, string[]>;
  /** Each replica's value when the law was checked. */
  values: Record<string, unknown>;
  /** The two sides that should have been equal (absent for an exception). */
  left?: Side;
  right?: Side;
  error?: string;
};

export const STATE_LAWS = [
  "merge is commutative",
  "merge is associative",
  "merge is idempotent",
  "merge leaves its second argument unchanged",
  "a delta inflates: merge(pre, delta) = post",
  "a delta re-merged changes nothing: merge(post, delta) = post",
  "a delta is not changed by later updates",
] as const;
/** Checked only on a type whose merge answers (answers: true): see stateLaws. */
export const ANSWER_LAW = "an answer is a delta of the state that sent it: merge(state, answer) = state";
export const ANSWER_INCLUDES_LAW = "an answer includes the message it answers: merge(answer, message) = answer";
export const ANSWER_LAWS = [ANSWER_LAW, ANSWER_INCLUDES_LAW] as const;
export const OP_LAWS = ["concurrent effects commute", "causal delivery in any order converges"] as const;
/** Checked only on an op-based type whose effect answers: see opLaws. */
export const OP_ANSWER_LAW = "answers come to an end (an answer's effect may answer, but not forever)";
/** How many answers one history may send before OP_ANSWER_LAW fails. */
const MAX_ANSWERS = 1000;

/** Observable identity of a state: its value, and its encoding when there is a codec. */
function keyOf(crdt: Crdt, s: unknown): string {
  const v = canonicalKey(crdt.value(s));
  const codec = (crdt as StateCrdt).codec;
  return codec ? `${v}|${Buffer.from(codec.encode(s)).toString("hex")}` : v;
}

const copy = (crdt: Crdt, s: unknown) => (crdt.clone ? crdt.clone(s) : structuredClone(s));

class Found extends Error {
  constructor(readonly v: Omit<Violation, "history" | "ops" | "values">) {
    super(v.law);
  }
}

function expectSame(crdt: Crdt, law: string, left: [string, unknown], right: [string, unknown]): void {
  if (keyOf(crdt, left[1]) === keyOf(crdt, right[1])) return;
  throw new Found({ law, left: { label: left[0], value: crdt.value(left[1]) }, right: { label: right[0], value: crdt.value(right[1]) } });
}

export function evaluate(given: Crdt | AnsweringCrdt, h: History, replicas: number): Violation | null {
  const { crdt, outbox } = adaptAnswers(given);
  const lines: string[] = [];
  const ops: Record<string, string[]> = Object.fromEntries(REPLICA_IDS.slice(0, replicas).map((id) => [id, []]));
  let states: unknown[] = [];
  const finish = (v: Omit<Violation, "history" | "ops" | "values">): Violation => {
    const values: Record<string, unknown> = {};
    states.forEach((s, i) => {
      try {
        values[REPLICA_IDS[i]!] = crdt.value(s);
      } catch {
        values[REPLICA_IDS[i]!] = "(value() threw)";
      }
    });
    return { ...v, history: lines, ops, values };
  };
  try {
    // One ctx per replica for the whole history, its clock the step's now (see sim/plugin/plugin-ctx.ts).
    let now = 0;
    const ctxs = REPLICA_IDS.slice(0, replicas).map((id) => detachedCtx("laws", id, () => now));
    const ctxAt = (at: number, t: number) => ((now = t), ctxs[at]!);
    states = ctxs.map((ctx) => crdt.init(ctx.replica, ctx));
    if (crdt.kind === "state") stateLaws(crdt, h.steps as StateStep[], states, lines, ops, ctxAt, outbox);
    else opLaws(crdt, h, states, lines, ops, ctxAt, outbox);
    return null;
  } catch (e) {
    if (e instanceof Found) return finish(e.v);
    // A plugin breaking the contract (value() not JSON) is not a law of the CRDT failing.
    if (e instanceof PluginError) throw e;
    return finish({ law: "the CRDT must not throw", error: e instanceof Error ? e.message : String(e) });
  }
}

type CtxAt = (at: number, now: number) => Ctx;

/**
 * The laws are about states: a merge that answers (answers: true) is held to them through the
 * state it returns. Its answers are not delivered in the histories (every replica's state meets
 * every other's anyway, through the sync steps and the final merges); each one is held to
 * ANSWER_LAWS instead: the sender already has what it tells the others, so an answer carries no
 * change of its own that the sender lacks (a cleanup the sender did not apply would diverge); and
 * it includes the message it answers, since the simulator credits its receivers with what that
 * message carried (an answer to a full state that passes on only part of it would make them
 * claim updates they lack).
 */
function stateLaws(crdt: StateCrdt, steps: StateStep[], states: unknown[], lines: string[], ops: Record<string, string[]>, ctxAt: CtxAt, outbox: Outbox | null): void {
  const deltas: unknown[] = [];
  const sent: string[] = [];
  const labels: string[] = [];
  /** `crdt.merge`, then ANSWER_LAW on what it answered. */
  const mergeIn = (a: unknown, b: unknown, la: string, lb: string): unknown => {
    if (outbox === null) return crdt.merge(a, b);
    outbox.length = 0;
    const out = crdt.merge(a, b);
    const answered = outbox.splice(0);
    answered.forEach((x, i) => {
      const again = crdt.merge(copy(crdt, out), x);
      const whole = crdt.merge(copy(crdt, x), b);
      outbox.length = 0;
      expectSame(crdt, ANSWER_LAW, [`merge(${la} merged with ${lb}, its answer ${i + 1})`, again], [`${la} merged with ${lb}`, out]);
      expectSame(crdt, ANSWER_INCLUDES_LAW, [`merge(answer ${i + 1}, ${lb})`, whole], [`answer ${i + 1} of ${la} to ${lb}`, x]);
    });
    return out;
  };
  const merge = (a: unknown, b: unknown, la: string, lb: string): unknown => {
    const before = keyOf(crdt, b);
    const shown = JSON.parse(canonicalKey(crdt.value(b)) ?? "null") as unknown;
    const out = mergeIn(copy(crdt, a), b, la, lb);
    if (keyOf(crdt, b) !== before)
      throw new Found({
        law: "merge leaves its second argument unchanged",
        left: { label: `${lb} before merge(${la}, ${lb})`, value: shown },
        right: { label: `${lb} after it`, value: crdt.value(b) },
      });
    return out;
  };
  for (const s of steps) {
    lines.push(stepText(s, labels));
    if (s.kind === "op") {
      const id = REPLICA_IDS[s.at]!;
      ops[id]!.push(`${opText(s.op)} [now() = ${s.now}]`);
      const pre = copy(crdt, states[s.at]);
      const { state, delta } = crdt.update(states[s.at], s.op, ctxAt(s.at, s.now));
      states[s.at] = state;
      const label = `${id}: ${opText(s.op)}`;
      const d = `delta(${label})`;
      expectSame(crdt, "a delta inflates: merge(pre, delta) = post", [`merge(pre, ${d})`, merge(pre, delta, "pre", d)], [`post (${id} after the update)`, state]);
      expectSame(crdt, "a delta re-merged changes nothing: merge(post, delta) = post", [`merge(post, ${d})`, merge(state, delta, "post", d)], ["post", state]);
      // Kept uncopied, as the simulator shares one delta object between all recipients.
      deltas.push(delta);
      sent.push(keyOf(crdt, delta));
      labels.push(label);
    } else if (s.kind === "sync") {
      states[s.to] = mergeIn(states[s.to], copy(crdt, states[s.from]), REPLICA_IDS[s.to]!, REPLICA_IDS[s.from]!);
    } else if (deltas.length > 0) {
      states[s.to] = mergeIn(states[s.to], deltas[s.delta % deltas.length], REPLICA_IDS[s.to]!, `delta(${labels[s.delta % deltas.length]})`);
    }
  }
  deltas.forEach((d, i) => {
    if (keyOf(crdt, d) !== sent[i])
      throw new Found({
        law: "a delta is not changed by later updates",
        left: { label: `delta(${labels[i]}) when made`, value: JSON.parse(sent[i]!.split("|")[0]!) },
        right: { label: "the same delta object at the end", value: crdt.value(d) },
      });
  });
  const [a, b, c] = states;
  const ab = merge(a, b, "a", "b");
  expectSame(crdt, "merge is commutative", ["merge(a, b)", ab], ["merge(b, a)", merge(b, a, "b", "a")]);
  expectSame(
    crdt,
    "merge is associative",
    ["merge(merge(a, b), c)", merge(ab, c, "merge(a, b)", "c")],
    ["merge(a, merge(b, c))", merge(a, merge(b, c, "b", "c"), "a", "merge(b, c)")],
  );
  states.forEach((x, i) => {
    const id = REPLICA_IDS[i]!;
    expectSame(crdt, "merge is idempotent", [`merge(${id}, ${id})`, merge(x, x, id, id)], [id, x]);
  });
}

type Eff = { origin: number; seq: number; effect: unknown; deps: number[]; label: string };

/**
 * An effect that answers (answers: true) sends ops of the replica that applied it (the contract's
 * OpAnswer): here, as in the simulator, each answer is numbered as that replica's next effect,
 * applied there and delivered like every other effect, so the op laws hold answers to what they
 * hold ops to — concurrent with anything they did not see, they must commute, and every replica
 * converges once every answer is delivered. Answers of effects applied to copies (the commute
 * check) are dropped. The final phase then delivers in rounds until nothing is left, answers
 * included, and a history that keeps answering fails OP_ANSWER_LAW.
 */
function opLaws(crdt: OpCrdt, h: History, states: unknown[], lines: string[], ops: Record<string, string[]>, ctxAt: CtxAt, outbox: Outbox | null): void {
  const n = states.length;
  const vv = states.map(() => new Array<number>(n).fill(0));
  const effects: Eff[] = [];
  // Effects are JSON by contract; each delivery gets its own copy, as over a network.
  const wire = (e: unknown) => (e === undefined ? undefined : JSON.parse(JSON.stringify(e)));
  const deliverable = (r: number, applied: number[]) => effects.filter((e) => applied[e.origin] === e.seq - 1 && e.deps.every((d, j) => j === e.origin || d <= applied[j]!));
  const apply = (s: unknown, e: Eff) => crdt.effect(s, wire(e.effect), { origin: REPLICA_IDS[e.origin]!, seq: e.seq });
  let answered = 0;
  /** Applies `e` at replica `r` itself, and issues what it answered as r's next effects. */
  const applyAt = (r: number, e: Eff): void => {
    if (outbox !== null) outbox.length = 0;
    states[r] = apply(states[r], e);
    vv[r]![e.origin] = e.seq;
    if (outbox === null || outbox.length === 0) return;
    for (const x of outbox.splice(0)) {
      if (++answered > MAX_ANSWERS) throw new Found({ law: OP_ANSWER_LAW, error: `${MAX_ANSWERS} answers sent and still answering` });
      const seq = vv[r]![r]! + 1;
      const ans: Eff = { origin: r, seq, effect: wire(x), deps: [...vv[r]!], label: `${REPLICA_IDS[r]}#${seq} (its answer to ${e.label})` };
      effects.push(ans);
      lines.push(`${REPLICA_IDS[r]} answers ${e.label} with ${JSON.stringify(x)}`);
      applyAt(r, ans);
    }
  };
  for (const s of h.steps as OpStep[]) {
    if (s.kind === "op") {
      const id = REPLICA_IDS[s.at]!;
      lines.push(stepText(s, []));
      ops[id]!.push(`${opText(s.op)} [now() = ${s.now}]`);
      const e = crdt.prepare(states[s.at], s.op, ctxAt(s.at, s.now));
      const seq = vv[s.at]![s.at]! + 1;
      const eff: Eff = { origin: s.at, seq, effect: wire(e), deps: [...vv[s.at]!], label: `${id}#${seq} ${opText(s.op)}` };
      effects.push(eff);
      applyAt(s.at, eff);
    } else {
      const ready = deliverable(s.to, vv[s.to]!);
      if (ready.length === 0) continue;
      const e = ready[s.pick % ready.length]!;
      lines.push(`${REPLICA_IDS[s.to]} applies the effect of ${e.label}`);
      applyAt(s.to, e);
    }
  }
  const concurrent = (x: Eff, y: Eff) => x.deps[y.origin]! < y.seq && y.deps[x.origin]! < x.seq;
  for (let r = 0; r < n; r++) {
    const ready = deliverable(r, vv[r]!);
    const id = REPLICA_IDS[r]!;
    for (let i = 0; i < ready.length; i++)
      for (let j = i + 1; j < ready.length; j++) {
        const [x, y] = [ready[i]!, ready[j]!];
        if (!concurrent(x, y)) continue;
        const xy = apply(apply(copy(crdt, states[r]), x), y);
        const yx = apply(apply(copy(crdt, states[r]), y), x);
        expectSame(crdt, "concurrent effects commute", [`${id} then ${x.label} then ${y.label}`, xy], [`${id} then ${y.label} then ${x.label}`, yx]);
      }
  }
  // Deliver everything everywhere, each replica in its own causal order driven by `order`.
  let k = 0;
  if (outbox !== null) {
    // Answers sent now must reach the others too: deliver in rounds, on the replicas themselves.
    for (let progress = true; progress;) {
      progress = false;
      for (let r = 0; r < n; r++)
        for (let ready = deliverable(r, vv[r]!); ready.length > 0; ready = deliverable(r, vv[r]!)) {
          applyAt(r, ready[(h.order[k++ % Math.max(1, h.order.length)] ?? 0) % ready.length]!);
          progress = true;
        }
    }
    for (let r = 1; r < n; r++)
      expectSame(crdt, "causal delivery in any order converges", [`${REPLICA_IDS[0]} after every effect`, states[0]], [`${REPLICA_IDS[r]} after every effect`, states[r]]);
    return;
  }
  const finals = states.map((s0, r) => {
    let s = copy(crdt, s0);
    const applied = [...vv[r]!];
    for (;;) {
      const ready = deliverable(r, applied);
      if (ready.length === 0) return s;
      const e = ready[(h.order[k++ % Math.max(1, h.order.length)] ?? 0) % ready.length]!;
      s = apply(s, e);
      applied[e.origin] = e.seq;
    }
  });
  for (let r = 1; r < n; r++)
    expectSame(crdt, "causal delivery in any order converges", [`${REPLICA_IDS[0]} after every effect`, finals[0]], [`${REPLICA_IDS[r]} after every effect`, finals[r]]);
}
