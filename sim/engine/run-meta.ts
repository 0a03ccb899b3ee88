/**
 * The run's first trace line (MetaEvent): the scenario's parameters as the engine resolved them.
 * Optional fields only when configured, so that other runs keep their traces: the initial clocks
 * (node → {skew, drift}, read by the timeline's lane labels), the op-mode switches, the sync lag
 * and digest anti-entropy.
 */
import type { MetaEvent } from "../run-types.ts";
import type { ClockSpec, Scenario } from "../scenario/types.ts";

/** A node's scenario clock, by own key only (`clocks.constructor` of a plain object is Object). */
export function clockSpecOf(sc: Scenario, name: string): ClockSpec | undefined {
  const clocks = sc.clocks;
  return clocks && Object.hasOwn(clocks, name) ? clocks[name] : undefined;
}

export type ResolvedRun = {
  seed: number;
  crdtName: string;
  sync: MetaEvent["sync"];
  antiEntropyMs: number;
  /** Op mode's switches, or null outside op mode. */
  opMode: { dedup: boolean; causal: boolean } | null;
  /** The sync lag when the run has a disk, else null. */
  syncLagMs: number | null;
  digest: boolean;
};

export function metaEvent(sc: Scenario, run: ResolvedRun): MetaEvent {
  const meta: MetaEvent = {
    t: 0,
    type: "meta",
    scenario: sc.name,
    seed: run.seed,
    crdt: run.crdtName,
    nodes: [...sc.nodes],
    sync: run.sync,
    antiEntropyMs: run.antiEntropyMs,
    duration: sc.duration,
  };
  if (sc.clocks || sc.nemesis?.clocks)
    meta.clocks = Object.fromEntries(
      sc.nodes.map((name) => {
        const c = clockSpecOf(sc, name) ?? {};
        return [name, { skew: c.skew ?? 0, drift: c.drift ?? 0 }];
      }),
    );
  if (run.opMode) {
    meta.dedup = run.opMode.dedup;
    meta.causal = run.opMode.causal;
  }
  if (run.syncLagMs !== null) meta.syncLagMs = run.syncLagMs;
  if (run.digest) meta.antiEntropy = "digest";
  return meta;
}
