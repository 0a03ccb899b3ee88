/** docs/benchmarks.md as bench/benchmarks-md.ts renders it from a bench.json. */
import { describe, expect, it } from "vitest";
import { formatFigure, renderBenchmarks, type BenchReport } from "./benchmarks-md.ts";

const at = "2026-12-04T16:18:08.766Z";
const report = (rows: BenchReport["rows"]): BenchReport => ({ node: "v20.20.2", cpus: 2, cpu: "AMD EPYC", at, rows });

/** The text of one `## title` section. */
function section(page: string, title: string): string {
  const start = page.indexOf(`\n## ${title}\n`);
  expect(start, `no section "${title}"`).toBeGreaterThan(-1);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

describe("docs/benchmarks.md", () => {
  it("shows a suite's rows with when and how they were measured", () => {
    const page = renderBenchmarks(
      report([
        { suite: "metadata", name: "or-set: bytes per live element after churn", value: 9.14, unit: "B/elem", note: "100 live", at },
        { suite: "metadata", name: "store: bytes per update, full state", value: 58258.11, unit: "B/update" },
      ]),
    );
    const metadata = section(page, "Metadata on the wire and at rest");
    expect(metadata).toContain("Measured 2026-12-04 16:18 UTC with `npm run bench -- metadata`:");
    expect(metadata).toContain("| or-set: bytes per live element after churn | 9.14 | B/elem | 100 live |");
    expect(metadata).toContain("| store: bytes per update, full state | 58,258 | B/update |  |");
    expect(page).toContain("Machine of the latest run: Node v20.20.2, 2 CPUs (AMD EPYC).");
  });

  it("keeps the hand-kept figures of an earlier run, labelled, beside the generated ones", () => {
    const without = section(renderBenchmarks(report([])), "Sequence CRDTs on real editing traces");
    expect(without).toContain("Not measured yet: run `npm run bench -- sequence`.");
    expect(without).toContain("**Hand-kept figures of an earlier run**");
    expect(without).toContain("Measured 2026-12-02 with `npm run bench -- sequence`");
    expect(without).toContain("| automerge-paper (259,778) | **rga** | **46.2** |");

    const measured = section(
      renderBenchmarks(
        report([
          { suite: "sequence", name: "rustcode rga apply", value: 13.61, unit: "ms", note: "40173 edits, best of 3", load: 3.5 },
          { suite: "sequence", name: "rustcode rga encoded", value: 91812, unit: "bytes", load: 3.5 },
          { suite: "sequence", name: "rustcode rga load", value: 8.9, unit: "ms", load: 3.5 },
          { suite: "sequence", name: "rustcode rga merge-into-empty", value: 16, unit: "ms", load: 3.5 },
          { suite: "sequence", name: "rustcode rga heap", value: 1.64, unit: "MB", load: 3.5 },
          { suite: "sequence", name: "rustcode yjs apply", value: 272.2, unit: "ms", note: "40173 edits, best of 3", load: 3.5 },
          { suite: "sequence", name: "rustcode yjs encoded", value: 247860, unit: "bytes", load: 3.5 },
        ]),
      ),
      "Sequence CRDTs on real editing traces",
    );
    expect(measured).toContain("Measured 2026-12-04 16:18 UTC (load average 3.5 on 2 CPUs) with `npm run bench -- sequence`:");
    expect(measured).toContain("| rustcode (40,173) | rga | 13.6 | 91,812 | 8.90 | 16.0 | 1.64 |");
    expect(measured).toContain("|  | yjs | 272 | 247,860 | – | – | – |");
    // The generated table comes first; the earlier run follows, still labelled as such.
    expect(measured.indexOf("| rustcode (40,173)")).toBeLessThan(measured.indexOf("**Hand-kept figures of an earlier run**"));
  });

  it("shows the canaries as one line per specimen: seeds to find, the check, the shrunk size, the laws", () => {
    const table = section(
      renderBenchmarks(
        report([
          { suite: "canaries", name: "canary x.ts — a bug: seeds", value: 3, unit: "seeds", note: "convergence (values differ); 1.2 s with the shrink" },
          { suite: "canaries", name: "canary x.ts — a bug: shrunk", value: 2, unit: "steps", note: "2 nodes, 2 ops, 0 faults; 40 shrink runs" },
          { suite: "canaries", name: "canary x.ts — a bug: laws", value: 7, unit: "histories", note: "merge is commutative" },
          { suite: "canaries", name: "real y — missed: seeds", value: 500, unit: "seeds", note: "not found in 500 seeds (9.0 s)" },
        ]),
      ),
      "Canaries: what the harness catches, and how fast",
    );
    expect(table).toContain("| canary x.ts — a bug | 3 | convergence (values differ) | 2 steps (2 nodes, 2 ops, 0 faults) | 7 (merge is commutative) |");
    expect(table).toContain("| real y — missed | – | not found in 500 seeds (9.0 s) | – | – |");
  });

  it("shows a row or suite the bench skipped, with the reason", () => {
    const reason = "did not finish in its step budget of 60 s (--step-budget, BENCH_STEP_BUDGET)";
    const page = renderBenchmarks(
      report([
        { suite: "sequence", name: "rustcode rga apply", value: 13.61, unit: "ms", note: "40173 edits, best of 3" },
        { suite: "sequence", name: "automerge-paper automerge", value: NaN, unit: "", skipped: reason },
        { suite: "metadata", name: "store: bytes per update, full state", value: 58258.11, unit: "B/update" },
        { suite: "metadata", name: "op store", value: NaN, unit: "", skipped: "the suite did not finish in its budget of 150 s" },
        { suite: "viz", name: "viz", value: NaN, unit: "", skipped: "not run: the whole bench's budget of 840 s was spent" },
      ]),
    );
    const sequence = section(page, "Sequence CRDTs on real editing traces");
    expect(sequence).toContain("| rustcode (40,173) | rga | 13.6 |");
    expect(sequence).toContain(`Skipped:\n\n- automerge-paper automerge: ${reason}`);
    expect(sequence).not.toContain("| automerge-paper automerge");
    const metadata = section(page, "Metadata on the wire and at rest");
    expect(metadata).toContain("| op store | skipped | | the suite did not finish in its budget of 150 s |");
    expect(metadata).toContain("| store: bytes per update, full state | 58,258 | B/update |  |");
    expect(section(page, "Timeline at scale")).toContain("| viz | skipped | | not run: the whole bench's budget of 840 s was spent |");
  });

  it("says how to measure a suite that has neither", () => {
    expect(section(renderBenchmarks(undefined), "Simulator throughput")).toContain("Not measured yet: run `npm run bench -- simulator`.");
  });

  it("gives a suite it does not know a section of its own", () => {
    const page = renderBenchmarks(report([{ suite: "my-suite", name: "memoconductor --help", value: 2.1, unit: "× node -e ''" }]));
    expect(section(page, "my-suite")).toContain("| memoconductor --help | 2.10 | × node -e '' |  |");
  });

  it("prints fewer decimals as figures grow, and a dash for what was not measured", () => {
    expect([0.123, 9.14, 48.98, 128.4, 58258.11, NaN].map(formatFigure)).toEqual(["0.12", "9.14", "49.0", "128", "58,258", "–"]);
  });
});
