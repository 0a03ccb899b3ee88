/** Bad input in the services syntax: every problem names the field to fix, nothing runs. */
import { describe, expect, it } from "vitest";
import { ScenarioError } from "./load-errors.ts";
import { prepareScenario } from "./load.ts";

const base = {
  name: "t",
  nodes: ["server", "alice", "s1", "s2"],
  crdt: "g-counter",
  duration: 1000,
  services: { sequencer: { node: "server" }, ramp: { shards: ["s1", "s2"], keys: { x: "s1", y: "s2" } } },
};

async function problem(input: unknown): Promise<string> {
  try {
    await prepareScenario(input, { file: "s.json" });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message;
  }
  throw new Error("expected a ScenarioError");
}

const step = (s: Record<string, unknown>) => ({ ...base, steps: [{ at: 5, ...s }] });

describe("services: bad input names the field", () => {
  const cases: [string, unknown, string][] = [
    [
      "sequencer on an unknown node",
      { ...base, services: { sequencer: { node: "srv" } } },
      's.json: services.sequencer.node: node "srv" is not declared (nodes: server, alice, s1, s2)',
    ],
    ["shard not a declared node", { ...base, services: { ramp: { shards: ["s1", "s3"] } } }, 's.json: services.ramp.shards[1]: node "s3" is not declared'],
    ["shard listed twice", { ...base, services: { ramp: { shards: ["s1", "s1"] } } }, 's.json: services.ramp.shards[1]: shard "s1" is listed twice'],
    [
      "key mapped to an undeclared shard",
      { ...base, services: { ramp: { shards: ["s1"], keys: { x: "s2" } } } },
      's.json: services.ramp.keys.x: shard "s2" is not declared in services.ramp.shards (s1)',
    ],
    ["no shards", { ...base, services: { ramp: { shards: [] } } }, "s.json: services.ramp.shards: declare at least one shard"],
    ["bad mode", { ...base, services: { ramp: { shards: ["s1"], mode: "fast" } } }, 's.json: services.ramp.mode: Invalid option: expected one of "ramp"|"naive"'],
    ["non-positive timeout", { ...base, services: { sequencer: { node: "server", timeoutMs: 0 } } }, "s.json: services.sequencer.timeoutMs: "],
    ["misspelt service", { ...base, services: { sequencr: { node: "server" } } }, 's.json: services.sequencr: unknown key "sequencr" (did you mean "sequencer"?)'],
    ["next without a sequencer", { ...step({ node: "alice", next: "invoice" }), services: {} }, "s.json: steps[0].next: the scenario declares no sequencer"],
    ["empty counter name", step({ node: "alice", next: "" }), "s.json: steps[0].next: must not be empty"],
    ["next from an unknown node", step({ node: "carol", next: "invoice" }), 's.json: steps[0].node: node "carol" is not declared'],
    ["next and op in one step", step({ node: "alice", next: "invoice", op: "inc" }), 's.json: steps[0]: a step takes exactly one action; this one has "next" and "op"'],
    [
      "txn without RAMP",
      { ...step({ node: "alice", txn: { read: ["x"] } }), services: { sequencer: { node: "server" } } },
      "s.json: steps[0].txn: the scenario declares no RAMP shards",
    ],
    [
      "txn on an unmapped key",
      step({ node: "alice", txn: { write: { x: 1, z: 2 } } }),
      's.json: steps[0].txn.write.z: key "z" is not mapped to a shard (add it to services.ramp.keys: x, y)',
    ],
    ["read of an unmapped key", step({ node: "alice", txn: { read: ["x", "q"] } }), 's.json: steps[0].txn.read[1]: key "q" is not mapped to a shard'],
    [
      "txn that reads and writes",
      step({ node: "alice", txn: { write: { x: 1 }, read: ["y"] } }),
      's.json: steps[0].txn: a transaction has exactly one of "write" (key → value) or "read" (keys)',
    ],
    ["txn that does nothing", step({ node: "alice", txn: {} }), "s.json: steps[0].txn: a transaction has exactly one of"],
    ["empty write", step({ node: "alice", txn: { write: {} } }), "s.json: steps[0].txn.write: a write transaction needs at least one key"],
    ["key read twice", step({ node: "alice", txn: { read: ["x", "x"] } }), 's.json: steps[0].txn.read[1]: key "x" is read twice'],
    ["misspelt txn field", step({ node: "alice", txn: { wrte: { x: 1 } } }), 's.json: steps[0].txn.wrte: unknown key "wrte" (did you mean "write"?)'],
    ["value that is not JSON", step({ node: "alice", txn: { write: { x: Number.NaN } } }), "s.json: steps[0].txn.write.x: NaN is not a finite number"],
    [
      "read-atomic without RAMP",
      { ...base, services: { sequencer: { node: "server" } }, expect: { checks: { "read-atomic": true } } },
      's.json: expect.checks.read-atomic: check "read-atomic" observes the RAMP transactions: declare services.ramp',
    ],
    [
      "sequencer check without a sequencer",
      { ...base, services: undefined, expect: { checks: { "sequencer-unique": true } } },
      's.json: expect.checks.sequencer-unique: check "sequencer-unique" observes the sequencer: declare services.sequencer',
    ],
  ];
  for (const [what, input, message] of cases)
    it(what, async () => {
      expect(await problem(input)).toContain(message);
    });

  it("accepts the well-formed syntax, with a hash-sharded key set", async () => {
    const ok = {
      ...base,
      services: { sequencer: { node: "server", timeoutMs: 300, retryMs: 50 }, ramp: { shards: ["s1", "s2"], mode: "naive" } },
      steps: [
        { at: 5, node: "alice", next: "invoice" },
        { at: 6, node: "alice", txn: { write: { anything: { nested: [1] }, other: "v" } } },
        { at: 7, node: "s1", txn: { read: ["anything", "other"] } },
      ],
    };
    await expect(prepareScenario(ok)).resolves.toMatchObject({ scenario: { services: ok.services } });
  });
});

describe("services: workload bad input", () => {
  const wl = (svc: "sequencer" | "ramp", w: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...base,
    services: svc === "sequencer" ? { sequencer: { node: "server", workload: w } } : { ramp: { shards: ["s1", "s2"], ...extra, workload: w } },
  });
  const cases: [string, unknown, string][] = [
    ["asking node not declared", wl("sequencer", { ratePerNode: 1, nodes: ["zed"] }), 's.json: services.sequencer.workload.nodes[0]: node "zed" is not declared'],
    ["window upside down", wl("sequencer", { ratePerNode: 1, from: 500, to: 100 }), "s.json: services.sequencer.workload.from: from 500 is after to 100"],
    ["window past duration", wl("sequencer", { ratePerNode: 1, to: 5000 }), "s.json: services.sequencer.workload.to: time 5000 is beyond duration 1000"],
    ["missing rate", wl("sequencer", { names: ["x"] }), "s.json: services.sequencer.workload.ratePerNode: required field is missing"],
    ["no keys anywhere", wl("ramp", { ratePerNode: 1 }), "s.json: services.ramp.workload.keys: list the keys the transactions touch"],
    [
      "workload key not mapped",
      wl("ramp", { ratePerNode: 1, keys: ["x", "q"] }, { keys: { x: "s1" } }),
      's.json: services.ramp.workload.keys[1]: key "q" is not mapped to a shard',
    ],
    ["read fraction", wl("ramp", { ratePerNode: 1, keys: ["x"], reads: 2 }), "s.json: services.ramp.workload.reads: a probability must be in [0, 1]"],
  ];
  for (const [what, input, message] of cases)
    it(what, async () => {
      expect(await problem(input)).toContain(message);
    });
});
