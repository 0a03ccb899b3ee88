/**
 * The shape every benchmark suite returns (one row per measured figure). A row the driver could
 * not measure within its time budget (bench/budget.ts) carries `skipped`, the reason, and no
 * figure (`value` is NaN; null in bench.json).
 */
export type BenchRow = { suite: string; name: string; value: number; unit: string; note?: string; skipped?: string };
export type BenchSuite = { name: string; run(): Promise<BenchRow[]> | BenchRow[] };
