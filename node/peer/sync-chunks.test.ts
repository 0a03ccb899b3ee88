/**
 * A sync answer in chunks: applied whole it equals the answer applied at once; cut short, the
 * receiver's knowledge is not raised (its next digest asks again) and nothing is lost.
 */
import { describe, expect, it } from "vitest";
import { digestJson, resolveBuiltin, type StoreCrdt, StoreReplica } from "../../core/index.ts";
import { syncChunks } from "./sync-chunks.ts";

const crdt = resolveBuiltin({ type: "store", collections: { customers: "record", views: "g-counter" } }) as unknown as StoreCrdt;

function writer(): StoreReplica {
  const a = new StoreReplica("a", crdt, () => 1);
  for (let i = 0; i < 250; i++) {
    a.update({ op: "inc", args: ["customers", `c${i % 97}`, "views", 1] });
    a.update({ op: "inc", args: ["views", `v${i % 31}`, 2] });
  }
  return a;
}

describe("syncChunks", () => {
  it("cuts parts into frames of at most perFrame objects; applied in order they equal the whole answer", () => {
    const a = writer();
    const whole = new StoreReplica("b", crdt);
    whole.applySync(a.missing(whole.digest()));
    const chunked = new StoreReplica("c", crdt);
    const chunks = syncChunks(a.missing(chunked.digest()), 10);
    expect(chunks.length).toBe(10 + 4); // 97 customers in 10s, 31 view counters in 10s
    expect(chunks.every((c) => c.parts.every((p) => p.objects.length <= 10))).toBe(true);
    for (const c of chunks) chunked.applySync(c);
    expect(chunked.value()).toEqual(whole.value());
    expect(digestJson(chunked.digest())).toEqual(digestJson(a.digest()));
  });

  it("cut short, the receiver keeps what arrived but not the knowledge, and its next digest gets the rest", () => {
    const a = writer();
    const b = new StoreReplica("b", crdt);
    const chunks = syncChunks(a.missing(b.digest()), 10);
    for (const c of chunks.slice(0, 5)) b.applySync(c);
    expect(digestJson(b.digest())).toEqual({});
    expect(Object.keys(b.value().customers!).length).toBe(50);
    for (const c of syncChunks(a.missing(b.digest()), 10)) b.applySync(c);
    expect(b.value()).toEqual(a.value());
    expect(digestJson(b.digest())).toEqual(digestJson(a.digest()));
  });
});
