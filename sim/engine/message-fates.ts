/**
 * `network.fates` (docs/faults.md, the paragraph "Named message fates"): messages the scenario says are lost or
 * delivered twice, named by what stays put when other steps are taken away — the link (sender,
 * recipient) and the virtual instant of the send, and among several sends on that link in that
 * instant, which one (`nth`, from 0). A message id would not do: ids number every send of the
 * run, so removing one step renumbers every later message. The shrinker freezes the losses and
 * duplicates a run drew from its streams into this list (sim/explore/freeze.ts), so that taking
 * a step away no longer re-draws the fate of every later message.
 *
 * Only the replicas' messages are named (the services' network has no fates). The network's
 * probabilistic draws still happen for every message, so adding fates shifts no other draw.
 */
import type { MessageFatesSpec, MessageRef } from "../scenario/types.ts";

export const FATE_NONE = 0;
export const FATE_LOST = 1;
export const FATE_DUPLICATED = 2;

export class MessageFates {
  /** Per link (from * n + to): the instant of its last send, and how many sends it had then. */
  private readonly lastAt: Float64Array;
  private readonly count: Int32Array;
  private readonly fates = new Map<string, number>();

  constructor(
    private readonly n: number,
    names: readonly string[],
    spec: MessageFatesSpec,
  ) {
    this.lastAt = new Float64Array(n * n).fill(-1);
    this.count = new Int32Array(n * n);
    const index = new Map(names.map((x, i) => [x, i]));
    const add = (refs: readonly MessageRef[] | undefined, fate: number) => {
      for (const r of refs ?? []) {
        const from = index.get(r.from);
        const to = index.get(r.to);
        // The loader refuses undeclared nodes; a ref the run cannot meet is simply never met.
        if (from === undefined || to === undefined) continue;
        const key = keyOf(from * n + to, r.at, r.nth ?? 0);
        // Lost wins over duplicated, as it does for the probabilistic draws.
        this.fates.set(key, Math.min(fate, this.fates.get(key) ?? fate));
      }
    };
    add(spec.lost, FATE_LOST);
    add(spec.duplicated, FATE_DUPLICATED);
  }

  /** The fate of the next message sent on from → to at instant t (every send asks, once). */
  next(from: number, to: number, t: number): number {
    const link = from * this.n + to;
    let nth = 0;
    if (this.lastAt[link] === t) nth = this.count[link]!;
    else this.lastAt[link] = t;
    this.count[link] = nth + 1;
    return this.fates.get(keyOf(link, t, nth)) ?? FATE_NONE;
  }
}

const keyOf = (link: number, t: number, nth: number) => `${link}@${t}#${nth}`;
