/**
 * The link-faults part: what cuts and heals links — a scripted partition (groups), a nemesis
 * partition of any shape (links.ts draws it), one-way cuts, the heal that ends them all and
 * releases what the partitions held, and the steps that act on one message on the wire (drop,
 * duplicate, hold). Every message crosses the same Links (the replicas' and the services'
 * networks both read them), so a fault here treats every message alike; per-link loss,
 * duplication and latency are the network's own (network.ts).
 */
import type { FaultCause } from "../run-types.ts";
import { completeGroups, groupPairs, type Links, type NemesisPartition, type Pair } from "./links.ts";
import type { ServiceHooks } from "./service-hooks.ts";
import type { TimeSource } from "./replica.ts";
import type { Trace } from "./trace.ts";

/** What the link faults may use of the run. */
export interface LinkFaultsEnv {
  readonly links: Links;
  readonly time: TimeSource;
  readonly trace: Pick<Trace, "partitionGroups" | "partitionLinks" | "cut" | "heal">;
  /** The replicas' network: held messages, and the messages a step names by id. */
  readonly net: { act(id: number, action: "drop" | "duplicate" | "hold"): boolean; release(): void; readonly holding: number };
  /** The services' network is healed with the replicas' (null: no services). */
  services(): ServiceHooks | null;
}

export class LinkFaults {
  constructor(private readonly env: LinkFaultsEnv) {}

  /** Anything to heal: a blocked link, or a held message. */
  get faulty(): boolean {
    return this.env.links.any || this.env.net.holding > 0;
  }

  /** A scripted partition into `groups` (nodes not listed form one more group); replaces the previous one. */
  partition(groups: readonly (readonly number[])[]): void {
    const n = this.env.links.n;
    const all = completeGroups(groups, n);
    this.env.links.setPartition(groupPairs(all, n));
    this.env.trace.partitionGroups(this.env.time.now, "step", "groups", all);
  }

  /** A nemesis partition (its shape drawn by links.ts randomPartition); replaces the previous one. */
  nemesisPartition(p: NemesisPartition): void {
    const env = this.env;
    env.links.setPartition(p.pairs);
    if (p.groups) env.trace.partitionGroups(env.time.now, "nemesis", p.shape, p.groups);
    else env.trace.partitionLinks(env.time.now, "nemesis", p.shape, p.pairs);
  }

  /** One-way cuts (from → to), added to whatever else is blocked. */
  cut(pairs: readonly Pair[]): void {
    this.env.links.addCuts(pairs);
    this.env.trace.cut(this.env.time.now, pairs);
  }

  /** Clears partitions and cuts and releases held messages (each with a fresh latency), services' included. */
  heal(by: FaultCause | "final"): void {
    const env = this.env;
    env.links.heal();
    env.trace.heal(env.time.now, by);
    env.net.release();
    env.services()?.heal();
  }

  /** A step acts on message `id` on the wire (nothing happens when it is not on the wire). */
  message(id: number, action: "drop" | "duplicate" | "hold"): void {
    this.env.net.act(id, action);
  }
}
