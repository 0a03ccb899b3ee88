/**
 * Teaching points of issue 4's scenarios (clocks, crashes, duplicates), asserted on the runs
 * themselves; the gallery test (scenarios.test.ts) already checks each meets its expectations.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate, type Run } from "../sim/index.ts";

const path = (name: string) => fileURLToPath(new URL(`./${name}.json`, import.meta.url));
const run = (name: string) => simulate(path(name));
const check = (r: Run, name: string) => r.summary.checks.find((c) => c.name === name)!;
const events = (r: Run) => (r.trace ?? []).map((l) => JSON.parse(l) as Record<string, any>);
const finals = (r: Run) => Object.values(r.summary.final);

describe("faults: clocks, crashes, duplicates", () => {
  it("lww-clock-skew-physical: Bob's later edit is lost to his slow clock, and no-lost-writes says so", async () => {
    const r = await run("lww-clock-skew-physical");
    const [alice, bob] = events(r).filter((e) => e.type === "update");
    expect(events(r)[0]!.clocks.bob).toEqual({ skew: -60000, drift: 0 });
    // Bob had applied Alice's write before his own: his is causally later.
    expect(bob!.vv).toMatchObject({ alice: 1, bob: 1 });
    expect(alice!.t).toBeLessThan(bob!.t);
    for (const v of finals(r)) expect(v).toBe("ana@old.example");
    expect(check(r, "convergence").ok).toBe(true);
    expect(check(r, "no-lost-writes").detail).toMatch(/clock read 1000\), but bob's write bob:1 of "ana@new.example" at t=4000 \(bob's clock read -56000\) happened after it/);
    // summary.json says where: Bob's lost write (the timeline rings it).
    expect(check(r, "no-lost-writes").at).toEqual({ t: 4000, node: "bob" });
    expect(check(r, "convergence")).not.toHaveProperty("at");
  });

  it("lww-clock-skew-hlc: same skew, the HLC keeps Bob's later edit", async () => {
    const r = await run("lww-clock-skew-hlc");
    for (const v of finals(r)) expect(v).toBe("ana@new.example");
    expect(check(r, "no-lost-writes").ok).toBe(true);
  });

  it("mv-register-both-phones: both concurrent numbers are kept, explicitly", async () => {
    const r = await run("mv-register-both-phones");
    for (const v of finals(r)) expect(v).toEqual(["555-0101", "555-0202"]);
  });

  it("crash-write-burst: the server crashes mid-burst; nothing acknowledged is lost, nothing at all is", async () => {
    const r = await run("crash-write-burst");
    const evs = events(r);
    expect(evs.some((e) => e.type === "crash" && e.node === "server")).toBe(true);
    expect(evs.some((e) => e.type === "drop" && e.reason === "crash")).toBe(true);
    expect(evs.some((e) => e.type === "unsynced-lost")).toBe(false);
    const adds = evs.filter((e) => e.type === "update").length;
    for (const v of finals(r)) expect((v as unknown[]).length).toBeGreaterThan(adds * 0.95); // few id collisions in 10^6
    expect(check(r, "durability").detail).toMatch(/0 unacknowledged updates lost/);
  });

  it("crash-write-burst-sync-lag: unacknowledged writes die with the server, acknowledged ones never", async () => {
    const r = await run("crash-write-burst-sync-lag");
    const evs = events(r);
    const lost = evs.find((e) => e.type === "unsynced-lost")!;
    expect(lost.node).toBe("server");
    expect(lost.updates.length).toBeGreaterThan(0);
    const acked = new Set(evs.filter((e) => e.type === "ack" && e.t < lost.t).map((e) => e.id.join(":")));
    for (const id of lost.updates) expect(acked.has(id.join(":"))).toBe(false);
    expect(check(r, "durability").ok).toBe(true);
  });

  it("op-counter-duplication: 30 % duplicates dropped by the layer, exact total", async () => {
    const r = await run("op-counter-duplication");
    expect(r.summary.stats.duplicated).toBeGreaterThan(r.summary.stats.sent / 5);
    expect(events(r).filter((e) => e.type === "drop" && e.reason === "dedup").length).toBeGreaterThan(10);
    expect(check(r, "counter-total").ok).toBe(true);
  });

  it("op-counter-duplication-no-dedup: the same run over-counts without dedup", async () => {
    const [good, bad] = await Promise.all([run("op-counter-duplication"), run("op-counter-duplication-no-dedup")]);
    const exact = finals(good)[0] as number;
    for (const v of finals(bad)) expect(v as number).toBeGreaterThan(exact);
    expect(check(bad, "counter-total").ok).toBe(false);
  });

  it("op-or-set-no-causal: a remove that overtakes its add leaves the element at Bob only", async () => {
    const r = await run("op-or-set-no-causal");
    expect(r.summary.final).toEqual({ alice: ["eggs"], bob: ["eggs", "milk"], carol: ["eggs"] });
  });
});
