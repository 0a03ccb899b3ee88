/**
 * docs/benchmarks.md is generated, never edited: `npm run bench` renders it from
 * reports/bench/bench.json after every run (`npx tsx bench/benchmarks-md.ts` renders it alone).
 * A suite's section is its rows in bench.json, with when they were measured; a suite with no
 * rows there says how to measure it. Figures that were quoted before this page was generated and
 * not measured since on a comparable machine are kept by hand below, labelled with the date and
 * the command that measured them, beside the generated table. A row the bench skipped (it did
 * not finish in its time budget, bench/budget.ts) is shown as skipped with the reason.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "./types.ts";

/** reports/bench/bench.json: each row stamped with when it was measured and the 1-minute load average then. */
export type BenchReport = { node: string; cpus: number; cpu: string; at: string; rows: (BenchRow & { at?: string; load?: number })[] };

type Section = { title: string; about: string; table?: (rows: BenchRow[]) => string; handKept?: string };

/** The suites in reading order; a suite not listed here still gets a section, after these. */
const SECTIONS: Record<string, Section> = {
  sequence: {
    title: "Sequence CRDTs on real editing traces",
    about: `Every trace in \`bench/data/editing-traces\` (copies of josephg/editing-traces, CC BY 4.0, see its
ATTRIBUTION.md) replayed through each implementation in one process: ours,
[\`rga\` and \`lseq\`](crdts.md#text-rga-and-lseq), through the public contract (deltas included), beside Yjs 13
(ESM build), Loro, json-joy and Automerge 3. apply: all edits applied locally (best of 3 after a
warm-up; Automerge one run, no warm-up: a build takes seconds); bytes: the encoded final
document; load: decoding it (like apply); merge: merging our final state into an empty replica;
heap: memory retained by one document.`,
    table: sequenceTable,
    handKept: `Measured 2026-12-02 with \`npm run bench -- sequence\`, one run on the shared 2-core
machine (after the LSeq run encoding), Node 20; our bytes re-measured since the frame's checksum
(format version 2: 4 bytes more per document), the times are that run's. Three of the eight
traces:

| trace (edits) | impl | apply ms | bytes | load ms | merge ms | heap MB |
|---|---|---:|---:|---:|---:|---:|
| automerge-paper (259,778) | **rga** | **46.2** | **128,857** | 13.2 | 10.8 | 1.88 |
| | lseq | 108.7 | 251,569 | 47.0 | 1.6 | 11.14 |
| | yjs | 1,628.9 | 311,035 | 8.6 | – | 3.26 |
| | loro | 532.7 | 251,454 | 0.9 | – | 2.83 |
| | json-joy | 198.3 | 171,157 | 14.0 | – | 60.54 |
| | automerge | 23,910.3 | 129,263 | 2,024.2 | – | 0.13 |
| seph-blog1 (137,993) | **rga** | **35.7** | 95,006 | 16.7 | 23.1 | 2.61 |
| | lseq | 108.3 | 159,270 | 72.2 | 1.9 | 7.73 |
| | yjs | 744.0 | 338,286 | 21.9 | – | 4.00 |
| rustcode (40,173) | **rga** | **13.6** | 91,812 | 8.9 | 16.0 | 1.64 |
| | lseq | 94.2 | 147,783 | 59.4 | 3.2 | 9.52 |
| | yjs | 272.2 | 247,860 | 18.6 | – | 2.53 |

On every trace in that run \`rga\` applied fastest (3.2–46.2 ms) with less heap than Yjs, and
\`lseq\` was faster than Yjs (e.g. 9.0 vs 85.1 ms on clownschool). \`lseq\` encodes the next
character of a typed run in one byte, so its documents were smaller than Yjs's on seven traces
and 0.1 % larger on the eighth (json-crdt-blog-post), but it held 2–5× Yjs's heap (an object per
character). Loro loaded fastest; \`rga\`, Yjs and json-joy loaded within a factor of two of each
other; Automerge's encoding was the smallest on the short traces.`,
  },
  typing: {
    title: "Typing at one place",
    about: `Two nodes each insert 2,500 characters at index 0, alternating, in the simulator with every
check on and no trace, for \`rga\` and \`lseq\`: CPU time of the whole run and per 1,000 events.`,
  },
  metadata: {
    title: "Metadata on the wire and at rest",
    about: `Sizes, not times: byte counts from the types' own codecs, the same on every machine for a
given seed. Churn: add e(j), remove e(j − 100), so 100 elements stay live. The
[store](store.md) of 1,000 customer records: a field update as a delta message and as the
full state; one anti-entropy round after a peer missed 1, 10 or 100 updates — digest and
answer, or the full state, and the answer once the delta log is compacted; the
\`crm-store-digest\` scenario's wire bytes with digest and with full-state anti-entropy. The op
store: the ops a replica holds after a minute of four nodes at 150 ops/s, with causal-stability
collection and without ([Faults](faults.md)).`,
  },
  simulator: {
    title: "Simulator throughput",
    about: `Delivered update messages per second of wall time for a 5-node G-Counter run without trace,
against a bare loop over the same event queue, events, arrival process and latency draws whose
handlers do no CRDT, checker or trace work; the ratio is the share of the bare loop's speed the
engine keeps. Then a row per builtin type: the same 5-node workload with the type's own ops,
delta sync (op-based types in op mode), no trace — delivered updates per CPU second, the cost of
a delivery against the g-counter's in the same process, and the bytes per message.`,
  },
  trace: {
    title: "Long runs with the trace on",
    about: `The or-set run of \`bench/fixtures/or-set-long-run.json\` (5 nodes, 2 % loss and duplication, one
partition) at about 10,000, 100,000 and 1,000,000 simulator events, each in a child process
streaming \`trace.jsonl\` as it goes ([Reading a run](reading-a-run.md#the-trace-file)): run CPU
time, peak RSS, and the trace's bytes per event.`,
  },
  services: {
    title: "Services throughput",
    about: `Completed [sequencer](services.md) requests and RAMP transactions per CPU second, in runs
without trace where every node asks at a high rate over a network with loss and duplication.`,
  },
  sql: {
    title: "SQL over the store",
    about: `[SQL](sql.md) in memory: UPDATE statements per CPU second against the same field updates made
through the store API (StoreReplica.update) in the same run, as a ratio (goal ≥ 0.5). An add-wins
table's UPDATE also enables the row's hidden _row field (an enable-wins flag: a fresh enable, which
keeps the row against a concurrent DELETE): the store API applying the statement's own two ops is
shown beside it, and what that write leaves of the baseline before any SQL. Then a SELECT with a
WHERE and a GROUP BY over 100,000 rows. The comparison with a plain SQLite table comes with
the node.`,
  },
  "sql-node": {
    title: "SQL on a node",
    about: `SELECTs through a node's [SQL read model](sql.md#reads-on-a-node) (SQLite tables of the current
values, the statement translated to one SQLite SELECT) against the same query on a plain SQLite
table of the same rows in the same database (goal ≥ 0.5 as a ratio of throughput): a WHERE and a
GROUP BY over 1,000,000 rows (\`BENCH_SQL_NODE_ROWS\` to change it), written through the model's own
per-record apply, not through the store. Then what the model costs each durable write (SQL UPDATEs
on a node store with group commit, with and without it) and its share of the file. Last, SQL over
the wire: UPDATE statements sent by a client to a node on loopback against the same field writes
sent as the client's store updates, each acknowledged once durable.`,
  },
  startup: {
    title: "CLI start-up",
    about: `The installed CLI (\`dist/bin/memoconductor.js\`, as \`npx memoconductor\` runs it) against
\`node -e ''\` in the same run: \`--help\`, \`list\` and a 50-event \`run --no-trace\`, median wall time of
15 each, as a ratio to starting Node (goal ≤ 3×).`,
  },
  loader: {
    title: "Scenario loader",
    about: `Loading 5 MB and 50 MB generated scenarios: JSON.parse alone as the floor, the loader's strict
parse, and the whole of loadScenario (read, parse, validate, dry-run the ops). CPU ms, best of a
few runs.`,
  },
  "node-disk": {
    title: "The node's disk",
    about: `node/storage (SQLite through better-sqlite3, WAL; synchronous=FULL with sync "always", and with
group commit synchronous=NORMAL plus the node's own fsync of the WAL before any write is
acknowledged: the same durability) against raw better-sqlite3 (WAL, synchronous=FULL) on the same
disk in the same run: durable writes/s with sync "always" against one
autocommitted upsert per row, and with group commit (64 writes in flight) against raw upserts
committed in batches of the store's own batch size; bytes on disk per customer record (phone and
email) against a plain (id, phone, email) table, with the delta log and after compacting it; the
time and RSS to open the store in a fresh process. 100,000 records by default;
\`BENCH_NODE_DISK_RECORDS=1000000 npm run bench -- node-disk\` for a million.`,
  },
  explore: {
    title: "Explore",
    about: `Seeds per minute of [swarm exploration](finding-bugs.md) (5 nodes, 10 s virtual, every fault
class), with --jobs 2 and 1 after a warm-up sweep, and their ratio (it pays only with both cores
free: the load average is in the note); and the false-alarm sweep: every builtin over 1,000 swarm seeds,
the value being the number of failing seeds found (0 is right).`,
  },
  canaries: {
    title: "Canaries: what the harness catches, and how fast",
    about: `Every must-fail canary of [the canary zoo](finding-bugs.md) and every real-library bug class
the harness has a specimen of (the library itself at the version that had the bug, installed on
demand into its own directory under \`examples/\` — a stand-in written after the bug where it
could not be installed, said in its row — or the library behind the adapter that had the bug): how many swarm seeds \`explore\` needed to find it (seeds
1…, at most 500), the check it failed with its signature, the size of the scenario the shrinker
left, and for a specimen that breaks a CRDT law how many random histories \`laws\` needed. The
figures are verdicts, the same on any machine: only the seconds in the notes are timings.`,
    table: canaryTable,
  },
  cluster: {
    title: "Cluster mode",
    about: `A 60 s [cluster run](cluster.md) of 5 real node processes on loopback, every link through its
fault-injecting proxy: a pn-counter workload of 100 ops/s per node, a partition into halves every
10 s and a kill -9 every 15 s. Acknowledged ops/s beside the offered rate, with the latency of the
acknowledged ones; the history checks' time beside the simulator's time for the same schedule;
and bytes of history per operation beside the simulator's trace for that schedule.`,
  },
  node: {
    title: "Nodes on the wire",
    about: `Two [nodes](running-a-node.md) syncing over WebSocket on loopback, both in the benchmark's process
(each with its own server and socket), each over its own SQLite store with the node's default
durability (group commit, at most 5 ms): a write counts once it is on A's disk and B has applied
it to its own. Sync throughput: field updates written on A, 256 at a time, until B has applied the
last, with the latency from the write's call on A to its change on B under that load (A's writers
are not slowed by B: at saturation this is the queue ahead of B). Paced latency: one write at a
time, the next once the previous is visible on B. Catch-up: B opened (a new directory) after A took
100,000 updates on 10,000 objects; the time until B holds them all.`,
  },
  "node-txn": {
    title: "Transactions on nodes",
    about: `Two [nodes](running-a-node.md) as in "Nodes on the wire": 8,000 field updates written on A as
transactions of 2 and of 8 updates (\`txn\`, each one durable write, applied on B all together), and
the same updates as plain writes, 256 updates in flight, until B has applied the last. The ratios
are of the same run. Then the hold alone, in one \`StoreReplica\` without nodes: 1,000 transactions of
4 updates whose deltas arrive one at a time in a shuffled order (many held at once), and 300 keys
written by 4 transactions caught up through sync frames of one object; the time until all are applied.`,
  },
  playground: {
    title: "The playground",
    about: `The [playground](playground.md) in headless Chromium: a session of 5 nodes × 50 ops/s for 10
virtual seconds simulated in the page, against the same session simulated in Node (the same
sources; the page's rate includes the checkpoints it keeps); the time from loading a new session to
the redrawn page (the run from the start), and from an edit at the end of that session (a step
near its end, recomputed from the last checkpoint before it, its traceHash checked against the run
from the start's; goal: well under 200 ms); and the time between frames while it plays live at 1×
(goal: 60 fps, 16.7 ms).`,
  },
  viz: {
    title: "Timeline at scale",
    about: `Real runs of the long or-set fixture (5 nodes, 2 % loss and duplication, one partition) at about
10,000, 100,000 and 1,000,000 simulator events: the run with its trace streamed (CPU time, peak RSS,
trace bytes per event), timeline.html built from the trace (time, peak RSS, page bytes per event),
each in its own process, then the page in headless Chromium: first render, zoom and pan frames,
selecting an event (its causal cone) and moving the time slider ([Reading a run](reading-a-run.md)).
Goals at 1M events: page ≤ 40 MB, first render ≤ 5 s, median frame ≤ 50 ms.`,
  },
};

/** Figures as the tables print them: thousands separated, fewer decimals as numbers grow. */
export function formatFigure(v: number): string {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function genericTable(rows: BenchRow[]): string {
  const lines = ["| measure | value | unit | note |", "|---|---:|---|---|"];
  for (const r of rows) {
    if (r.skipped !== undefined) lines.push(`| ${cell(r.name)} | skipped | | ${cell(r.skipped)} |`);
    else lines.push(`| ${cell(r.name)} | ${formatFigure(r.value)} | ${cell(r.unit)} | ${cell(r.note ?? "")} |`);
  }
  return lines.join("\n");
}

/** Under a suite's own table: the rows the bench skipped (bench/budget.ts), each with the reason. */
function skippedList(rows: BenchRow[]): string {
  return ["Skipped:", "", ...rows.map((r) => `- ${r.name}: ${r.skipped}`)].join("\n");
}

/** The sequence rows (`<trace> <impl> <measure>`) pivoted: one line per trace and implementation. */
function sequenceTable(rows: BenchRow[]): string {
  const measures = ["apply", "encoded", "load", "merge-into-empty", "heap"];
  const byKey = new Map<string, Map<string, BenchRow>>();
  for (const r of rows) {
    const m = /^(\S+) (\S+) (\S+)$/.exec(r.name);
    if (!m || !measures.includes(m[3]!)) continue;
    const key = `${m[1]} ${m[2]}`;
    if (!byKey.has(key)) byKey.set(key, new Map());
    byKey.get(key)!.set(m[3]!, r);
  }
  const lines = ["| trace (edits) | impl | apply ms | bytes | load ms | merge ms | heap MB |", "|---|---|---:|---:|---:|---:|---:|"];
  let lastTrace = "";
  for (const [key, got] of byKey) {
    const [trace = "", impl = ""] = key.split(" ");
    const edits = /^(\d+) edits/.exec(got.get("apply")?.note ?? "")?.[1];
    const first = trace === lastTrace ? "" : `${trace}${edits ? ` (${Number(edits).toLocaleString("en-US")})` : ""}`;
    lastTrace = trace;
    const fig = (m: string) => (got.has(m) ? (m === "encoded" ? Math.round(got.get(m)!.value).toLocaleString("en-US") : formatFigure(got.get(m)!.value)) : "–");
    lines.push(`| ${first} | ${impl} | ${measures.map(fig).join(" | ")} |`);
  }
  return lines.join("\n");
}

/** One line per specimen (bench/suites/canaries.ts): seeds to find, the check, the shrunk size, the laws. */
function canaryTable(rows: BenchRow[]): string {
  const by = new Map<string, Map<string, BenchRow>>();
  for (const r of rows) {
    const m = /^(.*): (seeds|shrunk|laws)$/.exec(r.name);
    if (!m) continue;
    if (!by.has(m[1]!)) by.set(m[1]!, new Map());
    by.get(m[1]!)!.set(m[2]!, r);
  }
  const lines = ["| specimen — bug class | seeds to find | caught by (signature) | shrunk to | laws: histories to find |", "|---|---:|---|---|---|"];
  for (const [label, got] of by) {
    const seeds = got.get("seeds");
    const found = seeds !== undefined && !seeds.note?.startsWith("not found");
    const caught = found ? (seeds.note ?? "").replace(/; [\d.]+ s with the shrink$/, "") : (seeds?.note ?? "–");
    const shrunk = got.get("shrunk");
    const laws = got.get("laws");
    const lawCell = laws ? (laws.note?.startsWith("no law") ? laws.note : `${laws.value} (${laws.note})`) : "–";
    lines.push(`| ${label} | ${found ? seeds.value : "–"} | ${caught} | ${shrunk ? `${shrunk.value} steps (${shrunk.note?.split(";")[0]})` : "–"} | ${lawCell} |`);
  }
  return lines.join("\n");
}

const day = (iso: string | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "at an unrecorded time");

export function renderBenchmarks(report: BenchReport | undefined): string {
  const rows = report?.rows ?? [];
  const suites = [...Object.keys(SECTIONS), ...new Set(rows.map((r) => r.suite).filter((s) => !(s in SECTIONS)))];
  const out: string[] = [
    "# Benchmarks",
    "",
    "[← Contents](../README.md#contents)",
    "",
    "<!-- Generated by `npm run bench` (bench/benchmarks-md.ts) from reports/bench/bench.json. Do not edit: change the generator or run the benchmarks. -->",
    "",
    "`npm run bench` runs every suite (a file in `bench/suites/`), writes `reports/bench/bench.json` and",
    "renders this page from it; `npm run bench -- simulator sequence` runs only the named suites and",
    "replaces just their rows, so the file always holds the latest figure of each suite, every row",
    "stamped with the time it was measured. Each suite runs in its own process within a time budget",
    "(`--budget`, `--step-budget`, `--total-budget`; see [Performance](design.md#performance)): a row or",
    "suite that does not finish in it is shown as skipped, with the reason. Benchmarks measure the",
    "machine: times vary with its load, and no test asserts one.",
    "",
    report ? `Machine of the latest run: Node ${report.node}, ${report.cpus} CPUs (${report.cpu || "unknown model"}).` : "No benchmark has been run yet.",
  ];
  for (const suite of suites) {
    const section = SECTIONS[suite] ?? { title: suite, about: "" };
    const mine = rows.filter((r) => r.suite === suite);
    out.push("", `## ${section.title}`, "");
    if (section.about) out.push(section.about, "");
    if (mine.length) {
      const when = [...new Set(mine.map((r) => `${day(r.at ?? report?.at)}${r.load === undefined ? "" : ` (load average ${r.load} on ${report?.cpus ?? "?"} CPUs)`}`))].join(", ");
      out.push(`Measured ${when} with \`npm run bench -- ${suite}\`:`, "");
      // A suite's own table pivots measured rows; what was skipped is listed under it.
      const measured = section.table ? mine.filter((r) => r.skipped === undefined) : mine;
      const skipped = section.table ? mine.filter((r) => r.skipped !== undefined) : [];
      if (measured.length) out.push((section.table ?? genericTable)(measured));
      if (skipped.length) out.push(...(measured.length ? [""] : []), skippedList(skipped));
    } else {
      out.push(`Not measured yet: run \`npm run bench -- ${suite}\`.`);
    }
    if (section.handKept) out.push("", "**Hand-kept figures of an earlier run** (not generated: kept as they were quoted before this page was).", "", section.handKept);
  }
  return out.join("\n") + "\n";
}

/** Renders docs/benchmarks.md from the repository's reports/bench/bench.json (if any). */
export function writeBenchmarksPage(root: string): string {
  const json = join(root, "reports", "bench", "bench.json");
  const report = existsSync(json) ? (JSON.parse(readFileSync(json, "utf8")) as BenchReport) : undefined;
  const page = join(root, "docs", "benchmarks.md");
  writeFileSync(page, renderBenchmarks(report));
  return page;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const page = writeBenchmarksPage(join(dirname(fileURLToPath(import.meta.url)), ".."));
  process.stderr.write(`bench: wrote ${page}\n`);
}
