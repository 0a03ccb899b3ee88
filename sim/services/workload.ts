/**
 * Random service requests (`services.<svc>.workload`): Poisson arrivals per asking node, as the
 * replicas' workload (sim/engine/workload.ts Arrivals), on seeded streams of their own. A
 * request is drawn at every arrival, even when the node is down (and then not issued), so
 * faults never shift what the other arrivals ask for.
 */
import { Arrivals } from "../engine/workload.ts";
import type { Rng } from "../rng.ts";
import type { ServiceHost, Service } from "./host.ts";

type Spec = { ratePerNode: number; from?: number; to?: number; nodes?: string[] };

export class ServiceArrivals<R> {
  private readonly arrivals: (Arrivals | null)[];
  private readonly rngs: (Rng | null)[];

  constructor(
    private readonly host: ServiceHost,
    private readonly svc: Service,
    /** The service's timer kind for an arrival. */
    private readonly kind: number,
    spec: Spec,
    name: string,
    private readonly draw: (rng: Rng, node: number) => R,
    private readonly issue: (node: number, request: R) => void,
  ) {
    const env = host.env;
    const asking = new Set(spec.nodes ?? env.names);
    this.arrivals = env.names.map((n) =>
      asking.has(n) ? new Arrivals(spec.from ?? 0, spec.to ?? env.scenario.duration, spec.ratePerNode, env.streams.get(`services/${name}/arrivals/${n}`)) : null,
    );
    this.rngs = env.names.map((n) => (asking.has(n) ? env.streams.get(`services/${name}/requests/${n}`) : null));
  }

  start(): void {
    this.arrivals.forEach((a, node) => this.schedule(a, node));
  }

  /** The arrival timer of `node` fired. */
  fire(node: number): void {
    const request = this.draw(this.rngs[node]!, node);
    if (this.host.env.replicas[node]!.up) this.issue(node, request);
    this.schedule(this.arrivals[node]!, node);
  }

  private schedule(a: Arrivals | null, node: number): void {
    const t = a?.next() ?? -1;
    // Not bound to the node's incarnation: arrivals go on across its crashes (and are skipped while it is down).
    if (t >= 0) this.host.timer(this.svc, node, this.kind, t, false);
  }
}
