/** Viz scale: a 100,000-event timeline in headless Chromium (see viz/bench.ts). */
import { vizBench } from "../../viz/bench.ts";
import type { BenchRow } from "../types.ts";

export const name = "viz";

export async function run(): Promise<BenchRow[]> {
  return (await vizBench()).map((r) => ({ suite: name, ...r }));
}
