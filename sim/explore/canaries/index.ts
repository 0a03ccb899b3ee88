/**
 * The canary zoo (as TigerBeetle's VOPR has must-fail canaries): deliberately broken CRDTs, one
 * per bug class. The tests prove `explore` catches each within its default run count and shrinks
 * it to a handful of steps, and that `laws` catches each one that breaks a law — so a green
 * sweep of a user's CRDT means something. Each file is also a plugin module on its own:
 * `memoconductor explore --crdt sim/explore/canaries/two-bit-counter.ts`.
 */
import type { Crdt } from "../../../core/contract.ts";
import addingCounter from "./adding-counter.ts";
import aliasedDeltaCounter from "./aliased-delta-counter.ts";
import effectLogRegister from "./effect-log-register.ts";
import lastArrivalRegister from "./last-arrival-register.ts";
import lossyDeltaPnCounter from "./lossy-delta-pn-counter.ts";
import lwwNoTiebreak from "./lww-no-tiebreak.ts";
import opAssignAdd from "./op-assign-add.ts";
import resurrectingOrSet from "./resurrecting-or-set.ts";
import twoBitCounter from "./two-bit-counter.ts";
import unsortedGSet from "./unsorted-g-set.ts";
import wraparoundRegister from "./wraparound-register.ts";
import deletelessEventsText from "./deleteless-events-text.ts";

export type Canary = { file: string; bug: string; crdt: Crdt; law: string };

export const CANARIES: readonly Canary[] = [
  { file: "adding-counter.ts", bug: "non-idempotent merge", crdt: addingCounter, law: "a delta re-merged changes nothing: merge(post, delta) = post" },
  { file: "last-arrival-register.ts", bug: "non-commutative merge", crdt: lastArrivalRegister, law: "merge is commutative" },
  { file: "wraparound-register.ts", bug: "non-associative merge", crdt: wraparoundRegister, law: "merge is associative" },
  { file: "lww-no-tiebreak.ts", bug: "missing timestamp tie-break", crdt: lwwNoTiebreak, law: "merge is commutative" },
  { file: "op-assign-add.ts", bug: "op-based effects that don't commute", crdt: opAssignAdd, law: "concurrent effects commute" },
  { file: "effect-log-register.ts", bug: "effects that don't commute (state-based stand-in)", crdt: effectLogRegister, law: "merge is commutative" },
  { file: "two-bit-counter.ts", bug: "a bug that needs several ops", crdt: twoBitCounter, law: "a delta inflates: merge(pre, delta) = post" },
  { file: "lossy-delta-pn-counter.ts", bug: "a delta that omits data", crdt: lossyDeltaPnCounter, law: "a delta inflates: merge(pre, delta) = post" },
  { file: "resurrecting-or-set.ts", bug: "a remove that resurrects", crdt: resurrectingOrSet, law: "a delta inflates: merge(pre, delta) = post" },
  { file: "unsorted-g-set.ts", bug: "a value that depends on delivery order", crdt: unsortedGSet, law: "merge is commutative" },
  { file: "aliased-delta-counter.ts", bug: "a delta aliased to the state", crdt: aliasedDeltaCounter, law: "a delta is not changed by later updates" },
];

/**
 * Canaries that break no law and no convergence check — only the check named — so they are kept
 * out of CANARIES (whose law each must break, and whose swarm traces are recorded hashes).
 */
export type CheckCanary = { file: string; bug: string; crdt: Crdt; check: string };

export const CHECK_CANARIES: readonly CheckCanary[] = [
  { file: "deleteless-events-text.ts", bug: "change events that miss a delete", crdt: deletelessEventsText, check: "change-events" },
];
