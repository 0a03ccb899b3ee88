/** The lessons on services: what a transaction protocol and a sequencer give, and what they cost. */
import type { Run } from "../../sim/run-types.ts";
import type { Scenario, Step } from "../../sim/scenario/types.ts";
import { failed, held, lessonStart as base, type Lesson } from "./lesson-kit.ts";

const tally = (run: Run, key: "timedOut" | "attempted") =>
  Object.values(run.summary.stats.availability ?? {}).reduce((n, services) => {
    const seq = services.sequencer;
    return n + (typeof seq === "object" ? seq[key] : 0);
  }, 0);
const timedOut = (run: Run) => tally(run, "timedOut");
const asked = (run: Run) => tally(run, "attempted");

/**
 * The invoice lesson's contrast: every `next` asked during a partition is asked again once it
 * heals instead (a heal is added 300 ms after the last of them when the session has none).
 */
function askAfterHeal(s: Scenario): Scenario {
  const steps = s.steps ?? [];
  let cut = false;
  const moved: Step[] = [];
  const kept: Step[] = [];
  for (const st of steps) {
    if ("partition" in st) cut = true;
    else if ("heal" in st) cut = false;
    if ("next" in st && cut) moved.push(st);
    else kept.push(st);
  }
  if (!moved.length) return s;
  const last = Math.max(...moved.map((st) => st.at));
  const heal = kept.find((st) => "heal" in st && st.at >= last);
  const healAt = heal?.at ?? last + 300;
  const retried: Step[] = moved.map((st, i) => ({ ...st, at: healAt + 100 + 10 * i }));
  const all = [...kept, ...(heal ? [] : [{ at: healAt, heal: true } as Step]), ...retried].sort((a, b) => a.at - b.at);
  return { ...s, steps: all, duration: Math.max(s.duration, healAt + 100 + 10 * moved.length + 1000) };
}

export const SERVICE_LESSONS: Lesson[] = [
  {
    id: "fractured-reads",
    title: "Fractured reads vs RAMP-Fast",
    point:
      "Alice writes x and y in one transaction, to two shards. Without a protocol a reader can see the write on one shard and not yet on the other: a fractured read. RAMP makes every read see all of a transaction or none of it.",
    task: "Alice's second write (x = y = 1, at 600 ms) reaches s1 at once but s2 only after the link heals at 900 ms. Click bob's card and issue a read of x and y somewhere in between.",
    start: base("lesson-fractured-reads", ["alice", "bob", "s1", "s2"], "g-counter", {
      sync: { antiEntropyMs: 0 },
      network: { latency: { dist: "constant", ms: 10 } },
      services: { ramp: { shards: ["s1", "s2"], keys: { x: "s1", y: "s2" }, mode: "naive", timeoutMs: 2000, retryMs: 100 } },
      steps: [
        { at: 100, node: "alice", txn: { write: { x: 0, y: 0 } } },
        { at: 600, node: "alice", txn: { write: { x: 1, y: 1 } } },
        { at: 605, cut: [["alice", "s2"]] },
        { at: 900, heal: true },
      ],
      duration: 2000,
      expect: { checks: { "read-atomic": true } },
    }),
    caused: (_s, run) => failed(run, "read-atomic"),
    fix: {
      why: "RAMP-Fast writes in two phases and reads with the transaction's metadata: a reader that sees x = 1 learns that y = 1 belongs with it and fetches that version, so it never mixes two transactions.",
      apply: (s) => {
        const ramp = s.services?.ramp;
        return ramp ? { ...s, services: { ...s.services, ramp: { ...ramp, mode: "ramp" } } } : s;
      },
    },
    fixed: (s, run) => held(run, "read-atomic") && (s.steps ?? []).some((st) => "txn" in st && st.txn.read !== undefined),
  },
  {
    id: "invoice-partition",
    title: "The invoice number under a partition",
    point:
      "Invoice numbers must be unique and in order, so one sequencer hands them out (on the server). CAP: when a partition cuts a node off from it, that node cannot number — it waits and times out rather than risk a duplicate.",
    task: "Tick side A on carol and partition her away from the server, then click carol's card and ask for the next number. It times out: unavailable, but never a duplicate.",
    start: base("lesson-invoice-partition", ["server", "alice", "bob", "carol"], "or-set", {
      services: { sequencer: { node: "server", timeoutMs: 500, retryMs: 100 } },
      steps: [{ at: 200, node: "alice", next: "invoice" }],
      expect: { checks: { "sequencer-unique": true, "sequencer-monotonic": true } },
    }),
    caused: (_s, run) => timedOut(run) > 0,
    fix: {
      why: "No fix keeps both: a CRDT counter would go on numbering on both sides and hand out the same number twice. The sequencer keeps numbers unique; the same requests made once the partition heals are all answered, in order.",
      apply: askAfterHeal,
    },
    fixed: (_s, run) => timedOut(run) === 0 && held(run, "sequencer-unique") && asked(run) > 1,
  },
];
