/**
 * What of a scenario a cluster of real processes can reproduce. Anything it cannot is refused
 * (one line naming the field, the run does not start) or carried out approximately and listed
 * in the report under that name — never silently left out.
 */
import type { Scenario } from "../sim/index.ts";
import { DEFAULT_ANTI_ENTROPY_MS } from "../sim/index.ts";

/** The CRDTs a node's store holds as one object, and what their history checks can tell. */
export const CLUSTER_CRDTS = ["g-set", "or-set", "g-counter", "pn-counter", "lww-register", "mv-register"] as const;
export type ClusterCrdt = (typeof CLUSTER_CRDTS)[number];

/** Checks that read the simulator's insides (every delivery, every replica's knowledge): a client history has none of it. */
const SIMULATOR_ONLY_CHECKS = ["strong-convergence", "idempotence", "order-independence", "laws"];

export type Support = {
  /** `file: field: reason` lines; any one stops the run before a process starts. */
  refused: string[];
  /** `field: what the cluster does instead`. */
  approximated: string[];
  /** Checks the scenario names (or the simulator always runs) that a real history cannot decide, with why. */
  notChecked: string[];
};

export function clusterSupport(file: string, s: Scenario, crdtName: string): Support {
  const refused: string[] = [];
  const approximated: string[] = [];
  const refuse = (field: string, why: string) => refused.push(`${file}: ${field}: ${why}`);
  if (typeof s.crdt === "object" && "module" in s.crdt) refuse("crdt.module", "cluster mode runs builtin CRDTs only (a node's store cannot load a plugin)");
  else if (!(CLUSTER_CRDTS as readonly string[]).includes(crdtName)) refuse("crdt", `cluster mode does not run ${crdtName} yet (it runs ${CLUSTER_CRDTS.join(", ")})`);
  if (s.schema) refuse("schema", "cluster mode does not run SQL scenarios yet");
  const ramp = s.services?.ramp;
  if (ramp?.mode === "naive")
    refuse(
      "services.ramp.mode",
      '"naive" (no RAMP protocol) has no faithful counterpart: a node applies a peer\'s transaction all or nothing, always; a fractured read on real processes needs the deliberately broken node switch --test-no-txn-hold (docs/cluster.md)',
    );
  if (ramp?.workload) refuse("services.ramp.workload", "cluster mode runs a RAMP scenario's scripted txn steps only, not its random transactions");
  if (ramp && ramp.mode !== "naive")
    approximated.push(
      "services.ramp: the shards are not separate servers — every node stores every key (collection ramp, one lww-register per key); a write is one node txn on its step's node, a read one getMany there; a peer applying a transaction all or nothing stands for RAMP's prepare/commit; timeoutMs is the client's timeout, retryMs is unused",
    );
  if (s.services?.sequencer)
    approximated.push(
      "services.sequencer: the node serving it answers next over its peer links; a request is forwarded once and not retried (retryMs), and a client gives up after timeoutMs",
    );
  (s.steps ?? []).forEach((step, i) => {
    for (const k of ["drop", "duplicate", "hold"] as const)
      if (k in step)
        refuse(
          `steps[${i}].${k}`,
          "a step on one simulated message (its trace id) has no counterpart among a real run's messages (use network.loss, network.duplicate or a partition)",
        );
  });
  if (s.sync?.mode === "op") refuse("sync.mode", 'a node replicates deltas and digests; "op" (causal broadcast of ops) has no node counterpart');
  for (const [node, c] of Object.entries(s.clocks ?? {}))
    if (c.drift !== undefined && c.drift !== 0)
      refuse(`clocks.${node}.drift`, "a real node's clock cannot be made to drift (cluster mode sets clock offsets only: skew and jumps)");
  if (s.sync?.mode === "state") approximated.push('sync.mode: "state" — nodes send field-level deltas, not whole states');
  if (s.sync?.antiEntropy !== "digest" && (s.sync?.antiEntropyMs ?? DEFAULT_ANTI_ENTROPY_MS) > 0)
    approximated.push("sync.antiEntropy: a node's anti-entropy round is a digest answered with what the peer lacks, not a full state");
  if ((s.network?.reorder ?? 0) > 0 || s.network?.fifo === false)
    approximated.push("network.reorder/fifo: each link is one WebSocket (TCP) stream and the proxy keeps it in order: messages are delayed, never reordered");
  if ((s.storage?.syncLagMs ?? 0) > 0)
    approximated.push(`storage.syncLagMs: the nodes run group commit with --group-ms ${s.storage?.syncLagMs} (a batch commits sooner when no more writes arrive)`);
  if (s.nemesis?.crashes || (s.steps ?? []).some((x) => "restart" in x))
    approximated.push(
      "restart: a crash is kill -9 of the node process; its restart is a process started ahead (already loaded) opening the data directory, which takes a few hundred ms on top of the downtime (each restart event in trace.jsonl has the time it was scheduled for)",
    );
  const notChecked = SIMULATOR_ONLY_CHECKS.map((c) => `${c}: needs every delivery and each replica's state along the way, which a client history does not have`);
  return { refused, approximated, notChecked };
}
