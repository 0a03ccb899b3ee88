/** The shape every benchmark suite returns (one row per measured figure). */
export type BenchRow = { suite: string; name: string; value: number; unit: string; note?: string };
export type BenchSuite = { name: string; run(): Promise<BenchRow[]> | BenchRow[] };
