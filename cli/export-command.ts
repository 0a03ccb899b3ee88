/**
 * `memoconductor export <run-dir> --format elle|shiviz`: a run's history for other tools — Elle's
 * JSON history (one JSON array; from history.jsonl in a cluster run, trace.jsonl in a simulated
 * one) or a ShiViz log (its parser regex printed on stderr). docs/cluster.md shows both in use.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { elleFromHistory, elleFromTrace, type HistoryEntry, SHIVIZ_REGEX, shivizFromTrace } from "../cluster/index.ts";
import { EXIT, errorLine, type Io } from "./io.ts";

export async function exportCommand(dir: string, o: { format: string; output?: string }, io: Io): Promise<number> {
  if (o.format !== "elle" && o.format !== "shiviz") {
    io.err(`memoconductor export: --format: expected elle or shiviz, got "${o.format}"\n`);
    return EXIT.badInput;
  }
  let text: string;
  try {
    const summaryFile = join(dir, "summary.json");
    if (!existsSync(summaryFile)) throw new Error(`${dir}: not a run directory (no summary.json)`);
    const crdt = String((JSON.parse(readFileSync(summaryFile, "utf8")) as { crdt?: unknown }).crdt);
    const history = join(dir, "history.jsonl");
    const trace = join(dir, "trace.jsonl");
    if (o.format === "elle" && existsSync(history)) {
      const entries = readFileSync(history, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as HistoryEntry);
      text = JSON.stringify(elleFromHistory(entries, crdt), null, 0) + "\n";
    } else {
      if (!existsSync(trace)) throw new Error(`${dir}: no trace.jsonl (a run kept with --no-trace has no history to export)`);
      const lines = readFileSync(trace, "utf8").split("\n");
      text = o.format === "elle" ? JSON.stringify(elleFromTrace(lines, crdt)) + "\n" : shivizFromTrace(lines);
    }
  } catch (e) {
    io.err(`memoconductor export: ${errorLine(e)}\n`);
    return EXIT.badInput;
  }
  if (o.format === "shiviz") io.err(`ShiViz parser regex: ${SHIVIZ_REGEX}\n`);
  if (o.output) writeFileSync(o.output, text);
  else io.out(text);
  return EXIT.ok;
}
