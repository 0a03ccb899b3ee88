/**
 * Message latency distributions (docs/design.md, "The simulator"). Samples are whole milliseconds, at least
 * 1 (a message never arrives in the instant it was sent, so causality stays visible in the
 * trace), and capped by the optional `max`. Each distribution draws a fixed number of uniforms
 * per sample, so the stream position after n messages does not depend on the values drawn.
 */
import type { LatencySpec } from "../scenario/types.ts";
import type { Rng } from "../rng.ts";

export type LatencySampler = (rng: Rng) => number;

/** The default when `network.latency` is omitted (docs/design.md, "The simulator"). */
export const DEFAULT_LATENCY: LatencySpec = { dist: "uniform", min: 1, max: 50 };

function finish(x: number, max: number): number {
  const ms = Math.round(x);
  // NaN (never expected) and anything below 1 become 1, so time always moves forward.
  const atLeastOne = ms >= 1 ? ms : 1;
  return atLeastOne > max ? Math.max(1, max) : atLeastOne;
}

export function latencySampler(spec: LatencySpec = DEFAULT_LATENCY): LatencySampler {
  const cap = "max" in spec && spec.max !== undefined ? spec.max : Infinity;
  switch (spec.dist) {
    case "constant": {
      const ms = finish(spec.ms, cap);
      return () => ms;
    }
    case "uniform": {
      const lo = spec.min;
      const span = spec.max - spec.min + 1;
      return (rng) => finish(lo + Math.floor(rng.float() * span), cap);
    }
    case "normal": {
      const { mean, sd } = spec;
      return (rng) => {
        // Box–Muller, always two draws; 1 - u keeps the logarithm finite.
        const u1 = 1 - rng.float();
        const u2 = rng.float();
        return finish(mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2), cap);
      };
    }
    case "exponential": {
      const mean = spec.mean;
      return (rng) => finish(-mean * Math.log(1 - rng.float()), cap);
    }
    case "pareto": {
      const { scale, shape } = spec;
      const inv = 1 / shape;
      return (rng) => finish(scale / Math.pow(1 - rng.float(), inv), cap);
    }
  }
}
