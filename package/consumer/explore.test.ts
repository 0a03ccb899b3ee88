// A vitest user: explore and the law checker on their own plugin, from their own test suite.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLaws, explore, CANARIES } from "memoconductor/sim";
import counter from "./plugins/ts-counter.ts";

const plugin = fileURLToPath(new URL("./plugins/ts-counter.ts", import.meta.url));

describe("a consumer's plugin", () => {
  it("obeys the CRDT laws", () => {
    expect(checkLaws(counter, { runs: 50 }).failure).toBeUndefined();
  });

  it("survives swarm exploration, by module path", async () => {
    const result = await explore(plugin, { runs: 20 });
    expect(result.failure).toBeUndefined();
  });

  it("the law checker catches a broken CRDT", () => {
    const canary = CANARIES.find((c) => c.law === "merge is commutative");
    expect(canary).toBeDefined();
    expect(checkLaws(canary!.crdt, { runs: 200 }).ok).toBe(false);
  });
});
