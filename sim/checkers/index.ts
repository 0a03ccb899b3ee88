/**
 * The checkers of a run. CHECK_NAMES is the contract's list (DESIGN.md, "Checkers"): the
 * scenario loader rejects any other name in `expect.checks`. Universal checks always run;
 * intent checks run when they apply to the type (counter-total for counters, add-wins for the
 * OR-Set) or when the scenario names them. `expected-value` is added when `expect.value` is set.
 */
import type { StateCrdt } from "../../core/contract.ts";
import type { Scenario } from "../scenario/types.ts";
import type { CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";
import type { Rng } from "../rng.ts";
import { AddWins } from "./add-wins.ts";
import { convergence, type FinalPhase } from "./convergence.ts";
import { CounterTotal } from "./counter-total.ts";
import { expectedValue } from "./expected-value.ts";
import { Idempotence } from "./idempotence.ts";
import { NoLostWrites, registerFields } from "./no-lost-writes.ts";
import { OrderIndependence } from "./order-independence.ts";
import { StrongConvergence } from "./strong-convergence.ts";

export const CHECK_NAMES: readonly string[] = [
  "convergence", "strong-convergence", "idempotence", "order-independence", "laws",
  "no-lost-writes", "counter-total", "add-wins", "sequencer-unique", "sequencer-monotonic",
  "read-atomic", "durability",
];

/** Names this simulator computes; the others fail loudly when a scenario asks for them. */
export const IMPLEMENTED_CHECKS: readonly string[] = [
  "convergence", "strong-convergence", "idempotence", "order-independence", "no-lost-writes",
  "counter-total", "add-wins", "expected-value",
];

const COUNTER_TYPES = ["g-counter", "pn-counter"];

export class Checkers {
  strong!: StrongConvergence;
  order!: OrderIndependence;
  readonly idem: Idempotence;
  readonly counter: CounterTotal | null;
  readonly addWins: AddWins | null;
  readonly noLostWrites: NoLostWrites | null;
  private readonly expectChecks: Record<string, boolean>;

  constructor(
    private readonly scenario: Scenario,
    private readonly crdt: StateCrdt<any, unknown>,
    crdtName: string,
    private readonly clone: (s: any) => any,
    private readonly rng: Rng,
    nodes: number,
  ) {
    this.expectChecks = scenario.expect?.checks ?? {};
    const named = (c: string) => Object.prototype.hasOwnProperty.call(this.expectChecks, c);
    const counterLike = crdt.ops.length > 0 && crdt.ops.every((o) => o.op === "inc" || o.op === "dec");
    this.idem = new Idempotence(crdt, clone, rng);
    this.counter = COUNTER_TYPES.includes(crdtName) || counterLike || named("counter-total") ? new CounterTotal(nodes) : null;
    this.addWins = crdtName === "or-set" || named("add-wins") ? new AddWins() : null;
    const fields = registerFields(crdtName, scenario.crdt);
    this.noLostWrites = fields || named("no-lost-writes") ? new NoLostWrites(fields ?? { "": "lww" }) : null;
  }

  attach(replicas: readonly Replica[]): void {
    this.strong = new StrongConvergence(replicas);
    this.order = new OrderIndependence(this.crdt, this.clone, replicas);
  }

  private expected(name: string): boolean {
    return this.expectChecks[name] ?? true;
  }

  results(replicas: readonly Replica[], fin: FinalPhase): CheckResult[] {
    const out: CheckResult[] = [
      convergence(replicas, fin, this.expected("convergence")),
      this.strong.result(this.expected("strong-convergence")),
      this.idem.result(this.expected("idempotence")),
      this.order.result(replicas, this.rng, this.expected("order-independence")),
    ];
    if (this.counter) out.push(this.counter.result(replicas, this.expected("counter-total")));
    if (this.addWins) out.push(this.addWins.result(replicas, this.expected("add-wins")));
    if (this.noLostWrites) out.push(this.noLostWrites.result(replicas, this.expected("no-lost-writes")));
    for (const name of Object.keys(this.expectChecks).sort()) {
      if (IMPLEMENTED_CHECKS.includes(name)) continue;
      const expected = this.expected(name);
      // Never let an unverified expectation pass: report the opposite of what was expected.
      out.push({ name, ok: !expected, expected, detail: `check "${name}" is not implemented by the simulator yet` });
    }
    if (this.scenario.expect && "value" in this.scenario.expect)
      out.push(expectedValue(replicas, this.scenario.expect.value, this.expected("expected-value")));
    return out;
  }
}
