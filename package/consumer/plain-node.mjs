// A plain-Node ESM user: no loader, no TypeScript. Prints one JSON line for the test to read.
import { gCounter, orSet, VersionVector } from "memoconductor/core";
import { simulate } from "memoconductor/sim";
import { fileURLToPath } from "node:url";

const cart = await simulate({
  name: "cart",
  nodes: ["alice", "bob", "carol"],
  crdt: "or-set",
  network: { loss: 0.2, duplicate: 0.1 },
  steps: [
    { at: 0, node: "alice", op: "add", args: ["milk"] },
    { at: 100, partition: [["alice"], ["bob", "carol"]] },
    { at: 200, node: "bob", op: "add", args: ["eggs"] },
    { at: 300, node: "alice", op: "remove", args: ["milk"] },
    { at: 800, heal: true },
  ],
  duration: 1000,
  expect: { checks: { convergence: true } },
});
const gallery = fileURLToPath(import.meta.resolve("memoconductor/package.json").replace(/package\.json$/, "scenarios/or-set-add-wins.json"));
const fromFile = await simulate(gallery, { trace: false });
console.log(
  JSON.stringify({
    cart: cart.summary.ok,
    final: cart.summary.final,
    gallery: fromFile.summary.ok,
    core: [typeof gCounter.merge, typeof orSet.init, typeof VersionVector],
  }),
);
