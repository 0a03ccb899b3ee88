// A strict TypeScript user (tsconfig.json: strict, noUncheckedIndexedAccess,
// exactOptionalPropertyTypes, skipLibCheck off): the shipped .d.ts must check cleanly, and
// typical use of the public API must type-check without casts.
import { crdts, gCounter, StoreReplica, VersionVector, type Crdt } from "memoconductor/core";
import { checkLaws, explore, simulate, ScenarioError, type CheckResult, type ExploreResult, type Run, type Scenario, type Summary } from "memoconductor/sim";
import counter from "./plugins/ts-counter.ts";

const scenario: Scenario = {
  name: "typed",
  nodes: ["a", "b"],
  crdt: "g-counter",
  steps: [{ at: 0, node: "a", op: "inc", args: [1] }],
  duration: 500,
  expect: { value: 1, checks: { convergence: true } },
};

export async function typed(): Promise<string[]> {
  const run: Run = await simulate(scenario, { seed: 3, trace: false });
  const summary: Summary = run.summary;
  const failed: CheckResult[] = summary.checks.filter((c) => !c.ok);
  const first = summary.checks[0]; // CheckResult | undefined under noUncheckedIndexedAccess
  const laws = checkLaws(counter, { runs: 10, seed: 1 });
  const found: ExploreResult = await explore(counter, { runs: 5 });
  const byName: Crdt | undefined = crdts[gCounter.name];
  void [StoreReplica, VersionVector, byName];
  try {
    await simulate({ ...scenario, nodes: [] });
  } catch (e) {
    if (e instanceof ScenarioError) return [e.message];
  }
  return [String(first?.ok), String(laws.ok), String(found.failure === undefined), ...failed.map((c) => c.name)];
}

// The node API's declarations check cleanly without @types/ws or @types/better-sqlite3.
import { connect, RequestError, type Client, type NodeOptions } from "memoconductor/node";

export async function phoneOf(url: string): Promise<unknown> {
  const options: NodeOptions = { dir: "data", port: 0, sync: { mode: "group", maxWaitMs: 5 } };
  void options;
  let client: Client | undefined;
  try {
    client = await connect(url);
    await client.update("customers", "A", "set", ["phone", "555-0101"]);
    return await client.get("customers", "A");
  } catch (e) {
    return e instanceof RequestError ? e.kind : undefined;
  } finally {
    await client?.close();
  }
}
