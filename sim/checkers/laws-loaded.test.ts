/**
 * The law checker (and fast-check) is loaded only for scenarios that name the "laws" check — by
 * the scenario loader, before the synchronous run. This file runs in a fresh module graph in
 * which nothing has loaded it yet: `simulate` alone must make the check work.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";

describe('a scenario that names the "laws" check', () => {
  it("gets it through simulate, with no other preparation", async () => {
    const { summary } = await simulate({ name: "laws-loaded", nodes: ["a", "b"], crdt: "g-counter", duration: 100, expect: { checks: { laws: true } } });
    expect(summary.checks.find((c) => c.name === "laws")).toMatchObject({ ok: true, expected: true });
  });
});
