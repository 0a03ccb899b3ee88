/** Viz scale: the or-set run at ~10k, ~100k and ~1M events laid out into timeline.html and opened in headless Chromium (see viz/bench.ts). */
import { vizBench } from "../../viz/bench.ts";
import { emit, step } from "../step.ts";
import type { BenchRow } from "../types.ts";

export const name = "viz";

export async function run(): Promise<BenchRow[]> {
  // Each size is a step of the bench's step budget (bench/step.ts).
  return (await vizBench({ step, emit: (rows) => emit(rows.map((r) => ({ suite: name, ...r }))) })).map((r) => ({ suite: name, ...r }));
}
