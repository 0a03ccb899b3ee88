/**
 * The messaging store's scenarios, asserted on the runs: a journal keeps every posting and the
 * derived balance is right where a stored balance loses one; digest anti-entropy converges
 * with a fraction of full-state rounds' bytes.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../sim/index.ts";
import { prepareScenario } from "../sim/scenario/load.ts";
import { ScenarioError } from "../sim/scenario/load-errors.ts";
import type { Scenario } from "../sim/scenario/types.ts";

const path = (name: string) => fileURLToPath(new URL(`./${name}.json`, import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
type Entry = { account: string; amount: number; memo: string };
const balance = (v: unknown) => Object.values((v as { journal: Record<string, Entry> }).journal).reduce((sum, e) => sum + e.amount, 0);
const updates = (trace: string[] | undefined) => (trace ?? []).map((l) => JSON.parse(l) as { type: string; node?: string; args?: unknown[] }).filter((e) => e.type === "update");

describe("account balance: journal entries versus a stored balance ('Distributed Data Without Tears')", () => {
  it("account-balance-journal: both branches' postings survive the partition and the derived balance is 100 − 30 + 50 = 120 everywhere", async () => {
    const r = await simulate(path("account-balance-journal"));
    expect(r.summary.ok).toBe(true);
    const posted = updates(r.trace);
    expect(posted.map((e) => e.node)).toEqual(["head-office", "branch-a", "branch-b"]);
    for (const v of Object.values(r.summary.final)) {
      expect(Object.keys((v as { journal: object }).journal)).toHaveLength(3);
      expect(balance(v)).toBe(120);
    }
  });

  it("account-balance-lww: read-modify-write of a stored balance converges on 150 — the 30 withdrawal is lost, and no checker flags it", async () => {
    const r = await simulate(path("account-balance-lww"));
    expect(r.summary.ok).toBe(true);
    // The same three postings were made: opening 100, then 70 (= 100 − 30) and 150 (= 100 + 50) from the same read.
    expect(updates(r.trace).map((e) => e.args)).toEqual([[100], [70], [150]]);
    const finals = Object.values(r.summary.final);
    expect(new Set(finals)).toEqual(new Set([150]));
    expect(finals[0]).not.toBe(100 - 30 + 50);
    expect(r.summary.checks.find((c) => c.name === "no-lost-writes")?.ok).toBe(true);
  });
});

describe("crm-store-digest: digest anti-entropy on a store of two hundred customers", () => {
  it("converges after the partition, and with several times fewer bytes than full-state rounds", async () => {
    const scenario = JSON.parse(readFileSync(path("crm-store-digest"), "utf8")) as Scenario & { $schema?: string };
    delete scenario.$schema;
    const digest = await simulate(scenario, { trace: false, baseDir: here });
    const state = await simulate({ ...scenario, sync: { ...scenario.sync, antiEntropy: "state" } }, { trace: false, baseDir: here });
    expect(digest.summary.ok).toBe(true);
    expect(state.summary.ok).toBe(true);
    const customers = Object.keys((digest.summary.final.alice as { customers: object }).customers);
    expect(customers.length).toBeGreaterThan(200);
    // Same updates (the workload stream does not depend on the anti-entropy mode), same final store.
    expect(digest.summary.final).toEqual(state.summary.final);
    expect(digest.summary.stats.metadataBytes * 4).toBeLessThan(state.summary.stats.metadataBytes);
  });
});

describe("store scenarios: bad input is refused with the path and what is wrong", () => {
  const base = {
    name: "bad-store",
    nodes: ["a", "b"],
    duration: 100,
    crdt: { type: "store", collections: { customers: { type: "record", fields: { phone: "mv-register", views: "pn-counter" } } } },
  };
  const issues = async (sc: unknown) => {
    try {
      await prepareScenario(sc, { file: "s.json" });
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as ScenarioError).allLines();
    }
    throw new Error("the scenario was accepted");
  };

  it("a field not in the schema, a wrong type for a field, an unknown collection: each step named", async () => {
    const lines = await issues({
      ...base,
      steps: [
        { at: 0, node: "a", op: "set", args: ["customers", "A", "fax", "1"] },
        { at: 1, node: "a", op: "inc", args: ["customers", "A", "views", "lots"] },
        { at: 2, node: "a", op: "set", args: ["orders", "A", "phone", "1"] },
      ],
    });
    expect(lines[0]).toMatch(/^s\.json: steps\[0\]\.args: .*customers\["A"\] \(record\): unknown field "fax" \(the schema's fields: phone, views\)/);
    expect(lines[1]).toMatch(/^s\.json: steps\[1\]\.args: .*field "views" \(pn-counter\): amount must be a positive integer, got "lots"/);
    expect(lines[2]).toMatch(/^s\.json: steps\[2\]\.args: .*unknown collection "orders" \(the store's collections: customers\)/);
  });

  it("a schema naming an unknown type, and digest anti-entropy in op mode", async () => {
    const badType = await issues({ ...base, crdt: { type: "store", collections: { customers: { type: "record", fields: { phone: "nope" } } } } });
    expect(badType[0]).toMatch(/^s\.json: crdt\.collections\.customers\.fields\.phone: unknown CRDT "nope"/);
    const opMode = await issues({ ...base, crdt: "op-counter", sync: { antiEntropy: "digest" } });
    expect(opMode[0]).toMatch(/^s\.json: sync\.antiEntropy: applies to delta and state modes only/);
  });
});
