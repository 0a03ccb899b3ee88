/** Viz scale: the or-set run at ~10k, ~100k and ~1M events laid out into timeline.html and opened in headless Chromium (see viz/bench.ts). */
import { vizBench } from "../../viz/bench.ts";
import type { BenchRow } from "../types.ts";

export const name = "viz";

export async function run(): Promise<BenchRow[]> {
  return (await vizBench()).map((r) => ({ suite: name, ...r }));
}
