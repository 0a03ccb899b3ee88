/**
 * Long runs with the trace on (issue 21): the or-set fixture (5 nodes, 2 % loss and duplication,
 * one partition) at about 10k, 100k and 1M simulator events, each in a child process streaming
 * its trace to a file — run CPU time, peak RSS (goal under 1 GB at 1M events) and trace bytes per
 * event (goal ≤ 150).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { emit, step } from "../step.ts";
import type { BenchRow } from "../types.ts";

export const name = "trace";

/** Workload length (virtual ms) for about 10k, 100k and 1M events. */
const SIZES = [1_000, 10_000, 100_000];

export function run(): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), "mc-bench-trace-"));
  const script = fileURLToPath(new URL("../trace-run.ts", import.meta.url));
  const rows: BenchRow[] = [];
  try {
    for (const until of SIZES) {
      // Each size is a step of the bench's step budget (bench/step.ts).
      if (!step(`or-set run of ${until.toLocaleString("en-US")} virtual ms`)) continue;
      const before = rows.length;
      const out = execFileSync(process.execPath, ["--import", "tsx", script, String(until), join(dir, `trace-${until}.jsonl`)], { encoding: "utf8" });
      const r = JSON.parse(out) as { events: number; bytes: number; cpuMs: number; maxRssKb: number; ok: boolean };
      const size = `${r.events.toLocaleString("en-US")} events`;
      rows.push(
        { suite: name, name: `or-set run, ${size}, trace on: CPU time`, value: r.cpuMs / 1000, unit: "s", note: r.ok ? "checks as expected" : "CHECKS FAILED" },
        { suite: name, name: `or-set run, ${size}, trace on: peak RSS`, value: r.maxRssKb / 1024, unit: "MB", note: "goal < 1 GB at 1M events" },
        { suite: name, name: `or-set run, ${size}: trace bytes per event`, value: r.bytes / r.events, unit: "B", note: `${(r.bytes / 1e6).toFixed(1)} MB trace.jsonl; goal ≤ 150` },
      );
      emit(rows.slice(before));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
