/**
 * The checkers of a run. The names a scenario may ask for are catalogue.ts's (CHECK_NAMES,
 * re-exported here): the scenario loader rejects any other name in `expect.checks`. Universal checks always run;
 * intent checks run when they apply to the type (counter-total for counters, add-wins for the
 * OR-Set and the enable-wins flag) or when the scenario names them. `expected-value` is added when `expect.value` is set.
 */
export { CHECK_NAMES } from "./catalogue.ts";
import { expectedRows } from "./expected-value.ts";
import { scenarioSqlSchema } from "../scenario/load-sql.ts";
import type { SelectExpectation } from "../scenario/types.ts";
import type { StoreCrdt } from "../../core/index.ts";
import type { Crdt, StateCrdt } from "../../core/contract.ts";
import type { Scenario } from "../scenario/types.ts";
import { failedCheck, type CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";
import type { Rng } from "../rng.ts";
import { AddWins } from "./add-wins.ts";
import { convergence, type FinalPhase } from "./convergence.ts";
import { CounterTotal } from "./counter-total.ts";
import { Durability, durabilityKind } from "./durability.ts";
import { expectedValue } from "./expected-value.ts";
import { Idempotence } from "./idempotence.ts";
import { lawsCheck } from "./laws.ts";
import { NoLostWrites } from "./no-lost-writes.ts";
import { RegisterFields } from "./register-fields.ts";
import { opReplayer, OrderIndependence, stateReplayer } from "./order-independence.ts";
import { SequenceIntent } from "./sequence-intent.ts";
import { ChangeEvents } from "./change-events.ts";
import { StrongConvergence } from "./strong-convergence.ts";
import { guardedCheck } from "./thrown.ts";
import { stopperFor, type StopAt } from "./first-violation.ts";

/** Names this simulator computes; the others fail loudly when a scenario asks for them. */
export const IMPLEMENTED_CHECKS: readonly string[] = [
  "convergence",
  "strong-convergence",
  "idempotence",
  "order-independence",
  "no-lost-writes",
  "counter-total",
  "add-wins",
  "sequence-intent",
  "no-interleaving",
  "change-events",
  "expected-value",
  "durability",
  "laws",
];

const COUNTER_TYPES = ["g-counter", "pn-counter", "op-counter"];
const OR_SETS = ["or-set", "op-or-set"];
/** Enable-wins flags: add-wins as the OR-Set of one element (add-wins.ts). */
const FLAGS = ["ew-flag"];

/** How the engine replicates, as far as the checkers must know. */
export type CheckerMode = {
  /** Op mode: inputs are ops (causal.ts OpRec), replayed with `applyOp`. */
  opMode: boolean;
  causal: boolean;
  /** Op mode: what re-delivering an op does (nothing with dedup; the effect again without). */
  reapply: ((state: unknown, rec: unknown) => unknown) | null;
  applyOp: ((state: unknown, rec: unknown) => unknown) | null;
  /** The run has a disk (crashes or a sync lag): durability runs. */
  durable: boolean;
  /** Stop the run at the first violation of this check with this signature (first-violation.ts; the shrinker's). */
  stopAt?: StopAt;
};

const STATE_MODE: CheckerMode = { opMode: false, causal: true, reapply: null, applyOp: null, durable: false };

export class Checkers {
  strong!: StrongConvergence;
  order!: OrderIndependence;
  /** A type that exposes change events (`events` in the contract); null otherwise. */
  events: ChangeEvents | null = null;
  readonly idem: Idempotence;
  readonly counter: CounterTotal | null;
  readonly addWins: AddWins | null;
  readonly noLostWrites: NoLostWrites | null;
  readonly durability: Durability | null;
  /** List and text types (`sequence` in the contract), or a scenario that names a sequence check. */
  readonly sequence: SequenceIntent | null;
  private readonly sequenceChecks: { intent: boolean; interleaving: boolean };
  private readonly expectChecks: Record<string, boolean>;

  constructor(
    private readonly scenario: Scenario,
    private readonly crdt: Crdt,
    crdtName: string,
    private readonly clone: (s: any) => any,
    private readonly rng: Rng,
    nodes: number,
    private readonly mode: CheckerMode = STATE_MODE,
  ) {
    this.expectChecks = scenario.expect?.checks ?? {};
    const named = (c: string) => Object.prototype.hasOwnProperty.call(this.expectChecks, c);
    const counterLike = crdt.ops.length > 0 && crdt.ops.every((o) => o.op === "inc" || o.op === "dec");
    this.idem = new Idempotence(crdt as StateCrdt<any, unknown>, clone, rng, mode.reapply, this.stopper("idempotence"), this.skipped("idempotence"));
    this.counter = COUNTER_TYPES.includes(crdtName) || counterLike || named("counter-total") ? new CounterTotal(nodes) : null;
    const flag = FLAGS.includes(crdtName);
    this.addWins = OR_SETS.includes(crdtName) || flag || named("add-wins") ? new AddWins(nodes, mode.durable, flag) : null;
    const fields = RegisterFields.of(crdtName, scenario.crdt);
    this.noLostWrites = fields || named("no-lost-writes") ? new NoLostWrites(fields ?? RegisterFields.bareRegister("lww")) : null;
    const traits = crdt.sequence;
    this.sequenceChecks = {
      intent: traits !== undefined || named("sequence-intent"),
      interleaving: (traits !== undefined && traits.interleaves === undefined) || named("no-interleaving"),
    };
    this.sequence = this.sequenceChecks.intent || this.sequenceChecks.interleaving ? new SequenceIntent() : null;
    this.durability = mode.durable || named("durability") ? new Durability(nodes, durabilityKind(crdtName, counterLike, fields !== null), fields) : null;
  }

  /**
   * `orderRng`: order-independence's own stream (which windows it samples, and its replay orders);
   * `pluginRng`: what an init made for a replay draws from its ctx.random(), so that checks never
   * move a node's own stream.
   */
  attach(replicas: readonly Replica[], orderRng: Rng, pluginRng: Rng): void {
    this.strong = new StrongConvergence(replicas, this.stopper("strong-convergence"));
    const crdt = this.crdt;
    const events = crdt.events;
    if (typeof events === "function") this.events = new ChangeEvents((s) => events.call(crdt, s), replicas, this.stopper("change-events"));
    const nowOf = new Map(replicas.map((r) => [r.name, r.ctx.now]));
    const init = (name: string) => crdt.init(name, { replica: name, now: nowOf.get(name) ?? (() => 0), random: () => pluginRng.float() });
    const replayer = this.mode.opMode
      ? opReplayer(init, this.mode.applyOp!, (s) => crdt.value(s), this.clone, this.mode.causal)
      : stateReplayer(crdt as StateCrdt<any, unknown>, this.clone, init);
    this.order = new OrderIndependence(replayer, replicas, orderRng, this.skipped("order-independence"));
  }

  /** Update (o, seq) was lost unsynced in a crash before anyone saw it: for every checker it never happened. */
  retract(o: number, seq: number): void {
    this.counter?.retract(o, seq);
    this.addWins?.retract(o, seq);
    this.noLostWrites?.retract(o, seq);
    this.durability?.retract(o, seq);
    this.sequence?.retract(o, seq);
  }

  /** The hook that stops the run at check `name`'s first violation, when the run was asked to (`mode.stopAt`). */
  private stopper(name: string) {
    return stopperFor(name, this.mode.stopAt, this.expected(name));
  }

  /** A run judged for another check alone (`mode.stopAt`): costly check `name` is not computed. */
  private skipped(name: "idempotence" | "order-independence"): boolean {
    return this.mode.stopAt !== undefined && this.mode.stopAt.check !== name;
  }

  private expected(name: string): boolean {
    return this.expectChecks[name] ?? true;
  }

  /** `services`: the verdicts of the scenario's services (sim/services), when it declares any. */
  results(replicas: readonly Replica[], fin: FinalPhase, services: readonly CheckResult[] = []): CheckResult[] {
    // Each check guarded: a checker that crashes fails by name, and every other verdict stands.
    const g = (name: string, check: () => CheckResult) => guardedCheck(name, this.expected(name), check);
    const out: CheckResult[] = [
      g("convergence", () => convergence(replicas, fin, this.expected("convergence"))),
      g("strong-convergence", () => this.strong.result(this.expected("strong-convergence"))),
    ];
    // A run judged for one check alone (mode.stopAt) leaves out the costly others.
    if (!this.skipped("idempotence")) out.push(g("idempotence", () => this.idem.result(this.expected("idempotence"))));
    if (!this.skipped("order-independence")) out.push(g("order-independence", () => this.order.result(replicas, this.expected("order-independence"))));
    const { counter, addWins, noLostWrites, durability } = this;
    if (counter) out.push(g("counter-total", () => counter.result(replicas, this.expected("counter-total"))));
    if (addWins) out.push(g("add-wins", () => addWins.result(replicas, this.expected("add-wins"))));
    if (noLostWrites) out.push(g("no-lost-writes", () => noLostWrites.result(replicas, this.expected("no-lost-writes"))));
    if (durability) out.push(g("durability", () => durability.result(replicas, this.expected("durability"))));
    const seq = this.sequence;
    // A run that typed a character twice cannot be checked: said only when the scenario asked.
    if (seq && this.sequenceChecks.intent && (seq.checkable || named(this.expectChecks, "sequence-intent")))
      out.push(g("sequence-intent", () => seq.intent(replicas, this.expected("sequence-intent"))));
    if (seq && this.sequenceChecks.interleaving && (seq.checkable || named(this.expectChecks, "no-interleaving")))
      out.push(g("no-interleaving", () => seq.interleaving(replicas, this.expected("no-interleaving"))));
    const events = this.events;
    if (events) out.push(g("change-events", () => events.result(this.expected("change-events"))));
    else if (named(this.expectChecks, "change-events")) {
      // Never let an unverified expectation pass: report the opposite of what was expected.
      const expected = this.expected("change-events");
      out.push({ name: "change-events", ok: !expected, expected, detail: `${this.crdt.name} exposes no change events (events(state) in the contract)` });
    }
    if (Object.prototype.hasOwnProperty.call(this.expectChecks, "laws")) out.push(g("laws", () => lawsCheck(this.crdt, this.rng.int(1, 0x7fffffff), this.expected("laws"))));
    for (const c of services) {
      // A service's part of a check the replicas also run (RAMP's committed transactions in `durability`) joins that one verdict.
      const i = out.findIndex((o) => o.name === c.name);
      if (i >= 0) out[i] = joinChecks(out[i]!, c);
      else out.push(c);
    }
    for (const name of Object.keys(this.expectChecks).sort()) {
      if (IMPLEMENTED_CHECKS.includes(name) || services.some((c) => c.name === name)) continue;
      const expected = this.expected(name);
      // Never let an unverified expectation pass: report the opposite of what was expected.
      out.push({ name, ok: !expected, expected, detail: `check "${name}" is not implemented by the simulator yet` });
    }
    if (this.scenario.expect && "value" in this.scenario.expect) {
      const want = this.scenario.expect.value;
      const schema = this.scenario.schema ? scenarioSqlSchema(this.scenario) : null;
      out.push(
        schema
          ? expectedRows(replicas, this.crdt as unknown as StoreCrdt, schema, want as SelectExpectation | SelectExpectation[], this.expected("expected-value"))
          : expectedValue(replicas, want, this.expected("expected-value")),
      );
    }
    return out;
  }
}

function named(checks: Record<string, boolean>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(checks, name);
}

/** One verdict from two parts of the same check: it holds when both do; the first failure gives `at`. */
function joinChecks(a: CheckResult, b: CheckResult): CheckResult {
  const detail = `${a.detail}; ${b.detail}`;
  if (a.ok && b.ok) return { ...a, detail };
  return failedCheck(a.name, a.expected, detail, !a.ok ? a.at : b.at);
}
