/**
 * Latency percentiles of a node's answered service requests (summary
 * `stats.availability.<node>.<service>.latencyMs`): nearest-rank p50 and p99 and the maximum,
 * in virtual milliseconds rounded to 0.1 ms. None when nothing was answered.
 */
export type LatencySummary = { p50: number; p99: number; max: number };

const round = (x: number): number => Math.round(x * 10) / 10;

/** Nearest rank: the smallest sample with at least q of all samples at or below it. */
function rank(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

export function latencySummary(samples: readonly number[]): LatencySummary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(rank(sorted, 0.5)), p99: round(rank(sorted, 0.99)), max: round(sorted[sorted.length - 1]!) };
}
