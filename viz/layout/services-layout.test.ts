/**
 * Service traffic on the timeline (sim/services): messages are arrows with their kind, local
 * service events are `service` marks with readable labels, and every view renders them.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/index.ts";
import { renderRunViews } from "../index.ts";
import { legendFor } from "../render/style.ts";
import { serviceLabel } from "./service-labels.ts";
import { K, type Model } from "./model.ts";

const scenario = (name: string) => fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url));
const labelsOf = (m: Model, ...kinds: number[]) =>
  m.ev.t
    .map((_, i) => i)
    .filter((i) => kinds.includes(m.ev.kind[i]!))
    .map((i) => m.strs[m.ev.info[i]!]!);
const SERVICE = [K.service, K.serviceOk, K.serviceFail];
/** The tags written beside service marks, as [tag, tone kind]. */
const tagsOf = (m: Model) => m.tags.ev.map((i, t) => [m.strs[m.tags.s[t]!]!, m.ev.kind[i]!] as const);

describe("service events on the timeline", () => {
  it("RAMP: transactions are service marks with their values, messages are arrows of their kind", async () => {
    const run = await simulate(scenario("ramp-atomic-reads"));
    const views = renderRunViews(run, { name: "ramp-atomic-reads", description: "", nodes: ["alice", "bob", "s1", "s2"] });
    const m = views.model!;
    const labels = labelsOf(m, ...SERVICE);
    expect(labels).toContain("read #1: x=0 y=0");
    // Requests, answers and failures are three kinds of mark; no read here is fractured.
    expect(labelsOf(m, K.serviceOk)).toContain("txn 600/alice committed on every shard");
    expect(labelsOf(m, K.service)).toContain("txn 600/alice writes x=1 y=1");
    expect(tagsOf(m)).toContainEqual(["committed", K.serviceOk]);
    expect(tagsOf(m).some(([tag]) => tag.includes("fractured"))).toBe(false);
    expect(labels).toContain("txn 600/alice writes x=1 y=1");
    expect(labels).toContain("txn 600/alice committed on every shard");
    const kinds = new Set(m.arrows.mk.map((k) => m.strs[k]));
    for (const k of ["ramp.prepare", "ramp.commit", "ramp.get", "ramp.values", "ramp.prepared", "ramp.committed"]) expect(kinds).toContain(k);
    expect(labelsOf(m, K.receive).some((l) => l.startsWith("ramp.values from s"))).toBe(true);
    // Arrows of service messages end at their deliveries, like the replicas'.
    expect(m.arrows.d.filter((d) => d >= 0).length).toBeGreaterThan(20);
    expect(views.svg).toContain('rx="1.5"'); // the service mark
    expect(views.html).toContain("service");
  });

  it("sequencer: requests, timeouts and assignments read as sentences", async () => {
    const run = await simulate(scenario("invoice-sequencer-partition"));
    const m = renderRunViews(run).model!;
    const labels = labelsOf(m, ...SERVICE);
    expect(labelsOf(m, K.serviceFail)).toContain('next("invoice") timed out: reported unavailable, no number');
    expect(tagsOf(m)).toContainEqual(["unavailable", K.serviceFail]);
    expect(tagsOf(m)).toContainEqual(["#3", K.serviceOk]);
    expect(labels).toContain('next("invoice") timed out: reported unavailable, no number');
    expect(labels).toContain('next("invoice") = 3');
    expect(labels).toContain("sequencer assigns invoice 1 to alice (durable)");
  });

  it("RAMP shard crashes: the lost unanswered record is a failure mark, the recovery a request mark", async () => {
    const m = renderRunViews(await simulate(scenario("ramp-shard-crash"))).model!;
    expect(labelsOf(m, K.serviceFail)).toContain("shard crash lost 1 unsynced record(s), never answered");
    expect(labelsOf(m, K.service)).toContain("shard recovered from disk: 2 version(s)");
    expect(tagsOf(m)).toContainEqual(["lost unanswered", K.serviceFail]);
    expect(tagsOf(m)).toContainEqual(["recovered", K.service]);
    expect(labelsOf(m, K.serviceOk)).toContain("read #1: x=2 y=2");
  });

  it("a fractured read is a failure mark whose tag says so, and the SVG writes it", async () => {
    const run = await simulate(scenario("ramp-fractured-reads-naive"));
    const views = renderRunViews(run);
    const m = views.model!;
    const fractured = tagsOf(m).filter(([tag]) => tag.endsWith("fractured"));
    expect(fractured.length).toBeGreaterThan(0);
    for (const [, kind] of fractured) expect(kind).toBe(K.serviceFail);
    expect(labelsOf(m, K.serviceFail).some((l) => /fractured: saw \S+'s \w+ but an older \w+/.test(l))).toBe(true);
    expect(views.svg).toContain(fractured[0]![0]);
  });

  it("a services-only run claims no convergence and no replication traffic; a mixed run keeps both", async () => {
    const only = renderRunViews(await simulate(scenario("ramp-atomic-reads")));
    expect(only.model!.flags.map((f) => f.kind)).not.toContain("converged");
    // Nothing replicated, so nothing merged: a service message reaching a lane first is no merge.
    expect(only.model!.ev.kind).not.toContain(K.merge);
    const stats = /<p class="stats">([^<]*)<\/p>/.exec(only.html!)![1]!;
    expect(stats).toMatch(/simulated .* · services: \d+ messages/);
    expect(stats).not.toMatch(/converged|replication|sent/);
    expect(only.svg).not.toContain("converged at");

    // The legend lists what is drawn and says where the service messages went.
    const legend = legendFor(only.model!).map((i) => i.label);
    expect(legend).toEqual(expect.arrayContaining(["receive", "service request", "service answer", "message"]));
    expect(legend).not.toContain("merge");
    expect(legendFor(only.model!).find((i) => i.label === "receive")!.why).toMatch(/sequencer or RAMP message/);

    // The invoice scenario also adds to an OR-Set: its replication and convergence still show.
    const mixed = renderRunViews(await simulate(scenario("invoice-sequencer-partition")));
    expect(mixed.model!.flags.map((f) => f.kind)).toContain("converged");
    expect(/<p class="stats">([^<]*)<\/p>/.exec(mixed.html!)![1]).toMatch(/all messages: \d+ sent.*converged at .*services: \d+ messages/);
  });

  it("labels tolerate lines with missing fields", () => {
    expect(serviceLabel({ type: "seq", event: "recover" })).toBe("sequencer recovered from disk: ?");
    expect(serviceLabel({ type: "txn", event: "recover", versions: 2 })).toBe("shard recovered from disk: 2 version(s)");
    expect(serviceLabel({ type: "txn", event: "unsynced-lost", records: 1 })).toBe("shard crash lost 1 unsynced record(s), never answered");
    expect(serviceLabel({ type: "txn", event: "rejected", reason: "never prepared" })).toBe("shard rejected a request: never prepared");
    expect(serviceLabel({ type: "txn", event: "rejected" })).toBe("shard rejected a request: ?");
    expect(serviceLabel({ type: "txn", event: "from-the-future" })).toBe('txn "from-the-future"');
    expect(serviceLabel({ type: "update" })).toBeUndefined();
  });
});
