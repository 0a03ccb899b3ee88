/**
 * Many clients, one sequencer, an adversarial network (delivery in any order, loss,
 * duplication), sequencer crashes at any point (including between persist and ack) and client
 * restarts. Every generated run must satisfy sequencer-unique and sequencer-monotonic, and
 * every acknowledged number must survive a final crash.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { MemoryStorage } from "../storage.ts";
import { TestNetwork } from "./_test/network.ts";
import { sequencerMonotonic, sequencerUnique } from "./checkers.ts";
import { SequencerClient } from "./client.ts";
import type { SeqEvent } from "./history.ts";
import type { SequencerMessage } from "./messages.ts";
import { Sequencer } from "./server.ts";
import type { SeqRecord, SeqSnapshot } from "./state.ts";

const NAMES = ["invoice", "order"];
const CLIENTS = ["c0", "c1", "c2"];
const TIMEOUT = 200;
const RETRY = 40;

type Cmd =
  | { k: "ask"; c: number; name: number }
  | { k: "deliver" | "drop" | "dup"; i: number }
  | { k: "flush" | "crash" | "flushThenCrash" }
  | { k: "time"; dt: number }
  | { k: "restartClient"; c: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("ask" as const), c: fc.nat(CLIENTS.length - 1), name: fc.nat(NAMES.length - 1) }) },
  { weight: 8, arbitrary: fc.record({ k: fc.constant("deliver" as const), i: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("drop" as const, "dup" as const), i: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("flush" as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("crash" as const, "flushThenCrash" as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("time" as const), dt: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("restartClient" as const), c: fc.nat(CLIENTS.length - 1) }) },
);

type World = {
  storage: MemoryStorage<SeqSnapshot, SeqRecord>;
  seq: Sequencer;
  clients: SequencerClient[];
  incarnations: number[];
  net: TestNetwork<SequencerMessage>;
  now: number;
  history: SeqEvent[];
};

function world(groupCommit: boolean): World {
  const storage = new MemoryStorage<SeqSnapshot, SeqRecord>();
  return {
    storage,
    seq: Sequencer.recover(storage, { groupCommit, snapshotEvery: 3 }),
    clients: CLIENTS.map((id) => new SequencerClient({ id, sequencer: "S", timeoutMs: TIMEOUT, retryMs: RETRY })),
    incarnations: CLIENTS.map(() => 0),
    net: new TestNetwork(),
    now: 0,
    history: [],
  };
}

function run(w: World, c: Cmd, groupCommit: boolean): void {
  const emit = (from: string, step: { out: { to: string; msg: SequencerMessage }[]; events: SeqEvent[] }) => {
    w.history.push(...step.events);
    w.net.send(from, step.out);
  };
  switch (c.k) {
    case "ask":
      emit(CLIENTS[c.c]!, w.clients[c.c]!.next(NAMES[c.name]!, w.now));
      return;
    case "deliver": {
      const env = w.net.take(c.i);
      if (env === undefined) return;
      if (env.to === "S") emit("S", w.seq.handle(env.msg, w.now));
      else emit(env.to, w.clients[CLIENTS.indexOf(env.to)]!.handle(env.msg, w.now));
      return;
    }
    case "drop":
      w.net.drop(c.i);
      return;
    case "dup":
      w.net.duplicate(c.i);
      return;
    case "flush":
      emit("S", w.seq.flush());
      return;
    case "flushThenCrash":
    case "crash":
      // flushThenCrash: durable and recorded as assigned, but the answers never leave the node.
      if (c.k === "flushThenCrash") w.history.push(...w.seq.flush().events);
      w.storage.crash();
      w.seq = Sequencer.recover(w.storage, { groupCommit, snapshotEvery: 3 });
      return;
    case "time":
      w.now += c.dt;
      w.clients.forEach((cl, i) => emit(CLIENTS[i]!, cl.tick(w.now)));
      return;
    case "restartClient":
      w.incarnations[c.c]!++;
      w.clients[c.c] = new SequencerClient({ id: CLIENTS[c.c]!, sequencer: "S", timeoutMs: TIMEOUT, retryMs: RETRY, firstRequestId: w.incarnations[c.c]! * 2 ** 32 });
      return;
  }
}

/** Heals everything: deliver all, sync, let time pass, until no client waits. */
function drain(w: World, groupCommit: boolean): void {
  for (let round = 0; round < 100 && w.clients.some((c) => c.outstanding > 0); round++) {
    while (w.net.inFlight.length > 0) run(w, { k: "deliver", i: 0 }, groupCommit);
    run(w, { k: "flush" }, groupCommit);
    while (w.net.inFlight.length > 0) run(w, { k: "deliver", i: 0 }, groupCommit);
    run(w, { k: "time", dt: RETRY }, groupCommit);
  }
}

describe("sequencer under crashes, loss, duplication and reordering", () => {
  for (const groupCommit of [false, true]) {
    it(`numbers are unique, monotonic and durable (groupCommit ${groupCommit})`, () => {
      checkProperty(
        fc.property(fc.array(cmd, { maxLength: 200, size: "max" }), (cmds) => {
          const w = world(groupCommit);
          for (const c of cmds) run(w, c, groupCommit);
          drain(w, groupCommit);
          expect(w.clients.every((c) => c.outstanding === 0)).toBe(true);
          const unique = sequencerUnique(w.history);
          expect(unique.ok, unique.detail).toBe(true);
          const mono = sequencerMonotonic(w.history);
          expect(mono.ok, mono.detail).toBe(true);
          // Everything acknowledged survives one more crash.
          w.storage.crash();
          const after = Sequencer.recover(w.storage);
          for (const e of w.history) if (e.type === "ok") expect(after.current(e.name)).toBeGreaterThanOrEqual(e.n);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("a sequencer that loses its disk is caught by sequencer-unique (the checkers have teeth)", () => {
    const w = world(false);
    run(w, { k: "ask", c: 0, name: 0 }, false);
    run(w, { k: "deliver", i: 0 }, false);
    run(w, { k: "deliver", i: 0 }, false);
    w.seq = Sequencer.recover(new MemoryStorage()); // amnesia: a restart without its storage
    run(w, { k: "ask", c: 1, name: 0 }, false);
    run(w, { k: "deliver", i: 0 }, false);
    run(w, { k: "deliver", i: 0 }, false);
    expect(sequencerUnique(w.history)).toMatchObject({ ok: false, event: { type: "assign", client: "c1", n: 1 } });
    expect(sequencerMonotonic(w.history).ok).toBe(false);
  });

  it("cut off from the sequencer, a client reports unavailable and never a number", () => {
    const w = world(false);
    run(w, { k: "ask", c: 0, name: 0 }, false);
    for (let t = 0; t < TIMEOUT; t += RETRY) {
      w.net.dropFor("S");
      run(w, { k: "time", dt: RETRY }, false);
    }
    expect(w.history.map((e) => e.type)).toEqual(["invoke", "unavailable"]);
  });
});
