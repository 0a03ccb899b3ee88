/**
 * End to end, through the package bin: scenarios whose node names, store collections, record
 * fields, map keys, set elements, register values, clocks and RAMP keys are all Object.prototype
 * keys run like any other — they converge, pass, and their run directories (summary.json,
 * timeline.html, report.md, scenario.json) carry every name. Before the fix the run directory
 * could not be written ("g.join is not a function") and summary.final lost the node "__proto__".
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, type CliResult } from "./spawn-cli.ts";

const H = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const out = mkdtempSync(join(tmpdir(), "mc-proto-"));
/** JSON text, not object literals: a literal `{ "__proto__": … }` would set a prototype, not a key. */
const json = (text: string): unknown => JSON.parse(text);
const hostile = json(`{"__proto__": {"constructor": 1}, "toString": ["valueOf"]}`);
const nth = (i: number, k: number) => H[(i + k) % H.length]!;
const perNode = (f: (node: string, i: number) => object[]) => H.flatMap((n, i) => f(n, i));

function scenario(name: string, crdt: unknown, steps: object[], expectValue?: unknown): object {
  return {
    name,
    seed: 3,
    nodes: H,
    crdt,
    network: { latency: { dist: "uniform", min: 5, max: 40 }, loss: 0.1, duplicate: 0.1 },
    clocks: json(`{"__proto__": {"skew": 20, "drift": 0.0001}, "constructor": {"skew": -10}}`),
    steps: [...steps, { at: 50, partition: [H.slice(0, 2), H.slice(2)] }, { at: 400, heal: true }].sort((a, b) => (a as { at: number }).at - (b as { at: number }).at),
    duration: 1000,
    ...(expectValue === undefined ? {} : { expect: { value: expectValue } }),
  };
}

const FIELDS = json(`{"__proto__": "mv-register", "constructor": "lww-register", "toString": "lww-register", "hasOwnProperty": "pn-counter", "valueOf": "or-set"}`);
const SCENARIOS: Record<string, { file: object; keys: string[] | null }> = {
  "proto-store": {
    file: scenario(
      "proto-store",
      { type: "store", collections: json(`{"__proto__": {"type": "record", "fields": ${JSON.stringify(FIELDS)}}, "constructor": "or-set"}`) },
      perNode((n, i) => [
        { at: 10 + i, node: n, op: "set", args: ["__proto__", nth(i, 1), "__proto__", n] },
        { at: 60 + i, node: n, op: "set", args: ["__proto__", nth(i, 2), "toString", hostile] },
        { at: 70 + i, node: n, op: "inc", args: ["__proto__", n, "hasOwnProperty", 2] },
        { at: 80 + i, node: n, op: "add", args: ["__proto__", n, "valueOf", n] },
        { at: 90 + i, node: n, op: "add", args: ["constructor", n, nth(i, 3)] },
      ]),
    ),
    keys: ["__proto__", "constructor"],
  },
  "proto-lww-map": {
    file: scenario(
      "proto-lww-map",
      "lww-map",
      perNode((n, i) => [
        { at: 10 + i, node: n, op: "set", args: [n, nth(i, 1)] },
        { at: 30 + i, node: n, op: "delete", args: [nth(i, 2)] },
        { at: 60 + i, node: n, op: "set", args: [nth(i, 1), hostile] },
      ]),
    ),
    keys: H,
  },
  "proto-or-map": {
    file: scenario(
      "proto-or-map",
      { type: "or-map", value: "or-set" },
      perNode((n, i) => [
        { at: 10 + i, node: n, op: "add", args: [n, nth(i, 1)] },
        { at: 60 + i, node: n, op: "add", args: [nth(i, 1), hostile] },
        { at: 90 + i, node: n, op: "remove", args: [nth(i, 2), nth(i, 3)] },
      ]),
    ),
    keys: H,
  },
  "proto-record": {
    file: scenario(
      "proto-record",
      { type: "record", fields: FIELDS },
      perNode((n, i) => [
        { at: 10 + i, node: n, op: "set", args: ["__proto__", n] },
        { at: 20 + i, node: n, op: "set", args: ["constructor", hostile] },
        { at: 30 + i, node: n, op: "set", args: ["toString", n] },
        { at: 60 + i, node: n, op: "inc", args: ["hasOwnProperty", 1] },
        { at: 70 + i, node: n, op: "add", args: ["valueOf", n] },
      ]),
    ),
    keys: H,
  },
  "proto-or-set": {
    file: scenario(
      "proto-or-set",
      "or-set",
      perNode((n, i) => [
        { at: 10 + i, node: n, op: "add", args: [n] },
        { at: 60 + i, node: n, op: "add", args: [hostile] },
        { at: 90 + i, node: n, op: "remove", args: [nth(i, 1)] },
      ]),
    ),
    keys: null,
  },
  "proto-mv-register": {
    file: scenario(
      "proto-mv-register",
      "mv-register",
      perNode((n, i) => [
        { at: 10 + i, node: n, op: "set", args: [n] },
        { at: 60 + i, node: n, op: "set", args: [json(`{${JSON.stringify(n)}: ${JSON.stringify(nth(i, 1))}}`)] },
      ]),
    ),
    keys: null,
  },
  "proto-ramp": {
    file: {
      name: "proto-ramp",
      seed: 2,
      nodes: H.slice(0, 4),
      crdt: "g-counter",
      sync: { antiEntropyMs: 0 },
      network: { latency: { dist: "constant", ms: 10 } },
      services: { ramp: { shards: ["toString", "hasOwnProperty"], keys: json(`{"__proto__": "toString", "valueOf": "hasOwnProperty"}`), timeoutMs: 2000, retryMs: 100 } },
      steps: [
        { at: 100, node: "__proto__", txn: { write: json(`{"__proto__": 1, "valueOf": 1}`) } },
        { at: 300, node: "constructor", txn: { read: ["__proto__", "valueOf"] } },
        { at: 600, node: "__proto__", txn: { write: json(`{"__proto__": 2, "valueOf": 2}`) } },
        { at: 605, cut: [["__proto__", "hasOwnProperty"]] },
        { at: 700, node: "constructor", txn: { read: ["__proto__", "valueOf"] } },
        { at: 900, heal: true },
        { at: 1300, node: "constructor", txn: { read: ["__proto__", "valueOf"] } },
      ],
      duration: 2000,
      expect: { checks: { "read-atomic": true } },
    },
    keys: null,
  },
};

describe("names that are Object.prototype keys, end to end", () => {
  const files = Object.entries(SCENARIOS).map(([name, s]) => {
    const f = join(out, `${name}.json`);
    writeFileSync(f, JSON.stringify(s.file, null, 1));
    return f;
  });
  type Line = { scenario: string; seed: number; ok: boolean; checks: { name: string; ok: boolean }[]; final: Record<string, unknown> };
  let r: CliResult;
  let summaries: Line[] = [];
  beforeAll(async () => {
    r = await cli(["run", ...files, "--json", "--out", out]);
    summaries = r.stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  });

  it("every scenario runs, passes and writes its run directory (exit 0, nothing on stderr)", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(summaries.map((s) => s.scenario)).toEqual(Object.keys(SCENARIOS));
    for (const s of summaries) {
      expect(s.ok, s.scenario).toBe(true);
      expect(s.checks.find((c) => c.name === "convergence")?.ok, s.scenario).toBe(true);
    }
  });

  it("summary.final has every node, all equal, and the map, record and store values show every key", () => {
    expect(summaries).toHaveLength(Object.keys(SCENARIOS).length);
    for (const s of summaries) {
      const nodes = (SCENARIOS[s.scenario]!.file as { nodes: string[] }).nodes;
      expect(Object.keys(s.final), s.scenario).toEqual(nodes);
      const values = Object.values(s.final).map((v) => JSON.stringify(v));
      expect(new Set(values).size, s.scenario).toBe(1);
      const keys = SCENARIOS[s.scenario]!.keys;
      if (keys) expect(Object.keys(s.final.__proto__ as object).sort(), s.scenario).toEqual([...keys].sort());
    }
    const store = summaries.find((s) => s.scenario === "proto-store")!.final["constructor"] as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(store.__proto__!).sort()).toEqual([...H].sort());
    expect(Object.keys(store.constructor!).sort()).toEqual([...H].sort());
    const orSet = summaries.find((s) => s.scenario === "proto-or-set")!.final["toString"] as unknown as unknown[];
    expect(orSet).toContainEqual(hostile);
  });

  it("summary.json, scenario.json, report.md and timeline.html carry the names", () => {
    expect(summaries).toHaveLength(Object.keys(SCENARIOS).length);
    for (const s of summaries) {
      const dir = join(out, s.scenario, String(s.seed));
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
      expect(Object.keys(summary.final)).toEqual(Object.keys(s.final));
      const scenario = JSON.parse(readFileSync(join(dir, "scenario.json"), "utf8"));
      if (scenario.clocks) expect(Object.keys(scenario.clocks)).toEqual(["__proto__", "constructor"]);
      const report = readFileSync(join(dir, "report.md"), "utf8");
      const html = pageHeader(readFileSync(join(dir, "timeline.html"), "utf8"));
      for (const n of scenario.nodes as string[]) expect(html, `${s.scenario}: timeline lane ${n}`).toContain(`"name":"${n}"`);
      // report.md escapes Markdown specials, so the name reads `\_\_proto\_\_` in its source.
      expect(report.replaceAll("\\_", "_"), s.scenario).toContain("__proto__");
      if (scenario.clocks) expect(html, `${s.scenario}: the lane of __proto__ shows its clock`).toMatch(/"name":"__proto__","skewMs":20,/);
    }
  });

  it("the RAMP reads print their __proto__ key, and read-atomic checked it", () => {
    const trace = readFileSync(join(out, "proto-ramp/2/trace.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.includes('"read-ok"'));
    expect(trace.length).toBe(3);
    for (const l of trace) expect(Object.keys(JSON.parse(l).values)).toEqual(["__proto__", "valueOf"]);
  });

  it("replay reproduces a run with such names", async () => {
    const r2 = await cli(["replay", join(out, "proto-store/3")]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain("same traceHash");
  });
});

/**
 * The JSON header of a timeline page's packed data (viz/render/pack.ts: base64 of the gzip of a
 * 4-byte length, the header, then the columns), where the lanes and their names are.
 */
function pageHeader(html: string): string {
  const b64 = /<script type="application\/octet-stream" id="data">([^<]*)<\/script>/.exec(html)?.[1];
  if (b64 === undefined) throw new Error("timeline.html has no packed data element");
  const all = gunzipSync(Buffer.from(b64, "base64"));
  return all.subarray(4, 4 + all.readUInt32LE(0)).toString("utf8");
}
