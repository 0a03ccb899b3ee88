import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../storage.ts";
import { SequencerClient } from "./client.ts";
import { SequencerError } from "./errors.ts";
import type { NextRequest } from "./messages.ts";
import { Sequencer } from "./server.ts";
import type { SeqRecord, SeqSnapshot } from "./state.ts";

const disk = () => new MemoryStorage<SeqSnapshot, SeqRecord>();
const req = (client: string, requestId: number, name = "invoice", done = 0): NextRequest => ({ type: "seq.next", client, requestId, name, done });
const numbers = (step: { out: { msg: unknown }[] }) => step.out.map((o) => (o.msg as { n: number }).n);

describe("Sequencer", () => {
  it("assigns 1, 2, 3 per name, independently for each name", () => {
    const s = Sequencer.recover(disk());
    expect(numbers(s.handle(req("a", 0)))).toEqual([1]);
    expect(numbers(s.handle(req("b", 0)))).toEqual([2]);
    expect(numbers(s.handle(req("a", 1, "order")))).toEqual([1]);
    expect(numbers(s.handle(req("a", 2)))).toEqual([3]);
  });

  it("answers a retried request with the number it already has, never a second one", () => {
    const storage = disk();
    const s = Sequencer.recover(storage);
    expect(numbers(s.handle(req("a", 7)))).toEqual([1]);
    const retry = s.handle(req("a", 7));
    expect(numbers(retry)).toEqual([1]);
    expect(retry.events).toEqual([]); // not a new assignment
    expect(storage.load().log).toHaveLength(1);
  });

  it("makes a number durable before it acknowledges it (group commit holds answers until flush)", () => {
    const storage = disk();
    const s = Sequencer.recover(storage, { groupCommit: true });
    const step = s.handle(req("a", 0));
    expect(step).toEqual({ out: [], events: [], syncNeeded: true });
    expect(s.handle(req("a", 0)).out).toEqual([]); // a retry of a staged request waits too
    expect(storage.load().log).toEqual([]);
    const flushed = s.flush();
    expect(storage.load().log).toEqual([{ name: "invoice", n: 1, client: "a", requestId: 0, done: 0 }]);
    expect(numbers(flushed)).toEqual([1, 1]);
    expect(flushed.events).toEqual([{ type: "assign", client: "a", requestId: 0, name: "invoice", n: 1 }]);
  });

  it("crash before sync: the unacknowledged number is reassigned, no acknowledged one ever is", () => {
    const storage = disk();
    let s = Sequencer.recover(storage, { groupCommit: true });
    s.handle(req("a", 0));
    s.flush(); // a#0 = 1, durable and sent
    s.handle(req("b", 0)); // b#0 = 2 staged, never sent
    expect(storage.crash()).toBe(1);
    s = Sequencer.recover(storage, { groupCommit: true });
    expect(s.current("invoice")).toBe(1);
    s.handle(req("c", 0));
    s.handle(req("b", 0));
    expect(numbers(s.flush())).toEqual([2, 3]);
  });

  it("crash after sync but before the answer left: the retry gets the same number", () => {
    const storage = disk();
    let s = Sequencer.recover(storage, { groupCommit: true });
    s.handle(req("a", 0));
    s.flush(); // durable; the answer is lost with the crash below
    storage.crash();
    s = Sequencer.recover(storage, { groupCommit: true });
    expect(numbers(s.handle(req("a", 0)))).toEqual([1]); // durable already: answered at once
    s.handle(req("b", 0));
    expect(numbers(s.flush())).toEqual([2]);
  });

  it("recovers from snapshot plus log after compaction", () => {
    const storage = disk();
    const s = Sequencer.recover(storage, { snapshotEvery: 3 });
    for (let i = 0; i < 10; i++) s.handle(req("a", i, i % 2 ? "odd" : "even", i));
    expect(storage.logLength).toBe(1);
    const r = Sequencer.recover(storage, { snapshotEvery: 3 });
    expect([r.current("even"), r.current("odd")]).toEqual([5, 5]);
    expect(numbers(r.handle(req("a", 9, "odd", 9)))).toEqual([5]); // dedup survived compaction
    expect(numbers(r.handle(req("a", 10, "odd", 10)))).toEqual([6]);
  });

  it("forgets requests below the client's done mark and ignores stale duplicates of them", () => {
    const s = Sequencer.recover(disk());
    s.handle(req("a", 0));
    s.handle(req("a", 1, "invoice", 1));
    expect(s.handle(req("a", 0))).toEqual({ out: [], events: [], syncNeeded: false });
    expect(s.current("invoice")).toBe(2);
  });

  it("rejects malformed messages with a clear error and leaves state and storage untouched", () => {
    const storage = disk();
    const s = Sequencer.recover(storage);
    s.handle(req("a", 0));
    const before = JSON.stringify(storage.load());
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      [[1], /not an object/],
      [{ ...req("a", 1), type: "seq.nxt" }, /type must be "seq.next"/],
      [{ ...req("a", 1), name: "" }, /name must be a non-empty string/],
      [{ ...req("a", 1), name: 3 }, /name must be/],
      [{ ...req("a", 1), client: undefined }, /client must be/],
      [{ ...req("a", 1), requestId: -1 }, /requestId must be a safe integer/],
      [{ ...req("a", 1), requestId: 1.5 }, /requestId/],
      [{ ...req("a", 1), done: 2 }, /done \(2\) must not exceed requestId \(1\)/],
      [{ ...req("a", 1), extra: true }, /unknown field "extra"/],
      [req("a", 0, "order"), /already has a number for "invoice"/],
    ];
    for (const [msg, err] of bad) {
      expect(() => s.handle(msg)).toThrow(SequencerError);
      expect(() => s.handle(msg)).toThrow(err);
    }
    expect(JSON.stringify(storage.load())).toBe(before);
    expect(storage.pending).toBe(0);
    expect(s.current("invoice")).toBe(1);
    expect(s.current("order")).toBe(0);
  });
});

describe("SequencerClient", () => {
  const client = () => new SequencerClient({ id: "c", sequencer: "S", timeoutMs: 100, retryMs: 30 });

  it("retries with the same request id, then reports unavailable — never a number", () => {
    const c = client();
    const first = c.next("invoice", 0);
    expect(first.out[0]).toEqual({ to: "S", msg: { type: "seq.next", client: "c", requestId: 0, name: "invoice", done: 0 } });
    expect(c.wakeAt()).toBe(30);
    expect(c.tick(30).out.map((o) => o.msg)).toEqual([first.out[0]!.msg]);
    const gaveUp = c.tick(100);
    expect(gaveUp).toEqual({ out: [], events: [{ type: "unavailable", client: "c", requestId: 0, name: "invoice" }] });
    // A late answer after giving up is ignored: the caller was already told "unavailable".
    expect(c.handle({ type: "seq.assigned", client: "c", requestId: 0, name: "invoice", n: 1 }).events).toEqual([]);
  });

  it("reports the answer once and ignores duplicates", () => {
    const c = client();
    c.next("invoice", 0);
    const ans = { type: "seq.assigned", client: "c", requestId: 0, name: "invoice", n: 4 };
    expect(c.handle(ans).events).toEqual([{ type: "ok", client: "c", requestId: 0, name: "invoice", n: 4 }]);
    expect(c.handle(ans).events).toEqual([]);
    expect(c.wakeAt()).toBeUndefined();
  });

  it("tells the sequencer which requests it is done with", () => {
    const c = client();
    c.next("invoice", 0);
    c.next("invoice", 0);
    c.handle({ type: "seq.assigned", client: "c", requestId: 0, name: "invoice", n: 1 });
    expect((c.next("invoice", 0).out[0]!.msg as NextRequest).done).toBe(1);
  });

  it("rejects malformed answers and bad names", () => {
    const c = client();
    expect(() => c.handle({ type: "seq.assigned", client: "c", requestId: 0, name: "invoice", n: 0 })).toThrow(/n must be a safe integer >= 1/);
    expect(() => c.handle({ type: "seq.assigned", client: "x", requestId: 0, name: "invoice", n: 1 })).toThrow(/delivered to c/);
    expect(() => c.next("", 0)).toThrow(SequencerError);
  });
});
