/**
 * Guided levels from the gallery's teaching cases. Each states its point, starts a session where
 * the learner can cause the anomaly with a few clicks, recognises it in the run, and has a fix:
 * the same steps under another CRDT (or clock), where the anomaly cannot happen.
 */
import type { Run } from "../../sim/run-types.ts";
import type { CrdtSpec, Scenario, Step } from "../../sim/scenario/types.ts";
import { withCrdt } from "./session.ts";

/** A fix that swaps the CRDT and keeps every step. */
const useCrdt = (crdt: CrdtSpec, why: string): Lesson["fix"] => ({ why, apply: (s) => withCrdt(s, crdt) });

export type Lesson = {
  id: string;
  title: string;
  /** What it teaches, in two sentences. */
  point: string;
  /** What to click to cause the anomaly. */
  task: string;
  start: Scenario;
  /** Whether this run shows the anomaly. */
  caused(scenario: Scenario, run: Run): boolean;
  /** The same session made safe: another CRDT, a clock, a protocol. */
  fix: { why: string; apply(s: Scenario): Scenario };
  /** Whether the fixed run kept what the anomaly lost. */
  fixed(scenario: Scenario, run: Run): boolean;
};

const failed = (run: Run, check: string) => run.summary.checks.some((c) => c.name === check && !c.ok);
const held = (run: Run, check: string) => run.summary.checks.some((c) => c.name === check && c.ok);
const opSteps = (s: Scenario) => (s.steps ?? []).flatMap((st) => ("op" in st ? [st] : []));
const finals = (run: Run) => Object.values(run.summary.final);

/** Elements whose last op (in step order) was an add, but which a replica does not show at the end. */
function lostReAdds(s: Scenario, run: Run): boolean {
  const last = new Map<string, string>();
  for (const st of opSteps(s)) last.set(JSON.stringify(st.args?.[0]), st.op);
  const readded = [...last].filter(([el, op]) => op === "add" && opSteps(s).some((st) => st.op === "remove" && JSON.stringify(st.args?.[0]) === el));
  return readded.some(([el]) => finals(run).some((v) => Array.isArray(v) && !v.some((x) => JSON.stringify(x) === el)));
}

/** Requests to the sequencer that timed out, over every node. */
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

const base = (name: string, nodes: string[], crdt: CrdtSpec, extra: Partial<Scenario> = {}): Scenario => ({
  name,
  seed: 1,
  nodes,
  crdt,
  sync: { antiEntropyMs: 500 },
  network: { latency: { dist: "uniform", min: 60, max: 200 } },
  steps: [],
  duration: 5000,
  ...extra,
});

export const LESSONS: Lesson[] = [
  {
    id: "youtube-counter",
    title: "The YouTube view counter",
    point:
      "A naive counter reads its number, adds one and writes it back; the last write wins. Two replicas that count a view at the same time both write the same number, and one view is gone — even though the replicas agree.",
    task: "Click a lane (eu) and issue inc, then another lane (us) and issue inc before the first has arrived — or partition first. Play to the end: counter-total flags the lost view.",
    start: base("lesson-youtube-counter", ["eu", "us", "asia"], { module: "./plugins/naive-counter.ts" }, { expect: { checks: { "counter-total": true } } }),
    caused: (_s, run) => failed(run, "counter-total"),
    fix: useCrdt("g-counter", "A G-Counter keeps one entry per replica and sums them: concurrent increments land in different entries, so none overwrites another."),
    fixed: (s, run) => held(run, "counter-total") && opSteps(s).length > 0,
  },
  {
    id: "lww-clock-skew",
    title: "Last-writer-wins under clock skew",
    point:
      "Last-writer-wins orders writes by their timestamps. Bob's clock is a minute slow, so his correction — made after he saw Alice's write — carries the smaller timestamp and loses.",
    task: "Issue set on alice, let it reach bob (watch the arrow land), then issue set on bob with a new value. Play on: no-lost-writes rings Bob's lost write.",
    start: base("lesson-lww-clock-skew", ["alice", "bob", "server"], { type: "lww-register", clock: "physical" }, { clocks: { bob: { skew: -60000 } } }),
    caused: (_s, run) => failed(run, "no-lost-writes"),
    fix: useCrdt(
      { type: "lww-register", clock: "hlc" },
      "A hybrid logical clock never goes below what its node has seen: Bob's write, made after Alice's, is stamped later whatever his wall clock says.",
    ),
    fixed: (_s, run) => held(run, "no-lost-writes"),
  },
  {
    id: "two-phase-set-readd",
    title: "The 2P-Set cannot re-add",
    point: "A 2P-Set keeps a set of adds and a set of removes (tombstones); an element once removed stays removed, so adding it again does nothing.",
    task: "On alice add milk; on bob remove milk once it has arrived; later, on alice add milk again. At the end milk is missing everywhere.",
    start: base("lesson-two-phase-set", ["alice", "bob"], "2p-set"),
    caused: lostReAdds,
    fix: useCrdt("or-set", "An OR-Set tags every add; a remove deletes only the tags it has seen, so a later add (a new tag) brings the element back."),
    fixed: (s, run) => !lostReAdds(s, run) && opSteps(s).some((st) => st.op === "remove"),
  },
  {
    id: "both-phones",
    title: "Both phone numbers kept",
    point:
      "When two people change one field concurrently, last-writer-wins silently keeps one. A multi-value register keeps both and shows the conflict, so a person can resolve it.",
    task: "Partition alice from bob, set a different phone number on each side, then heal. After the merge every replica shows one number: the other is gone.",
    start: base("lesson-both-phones", ["alice", "bob"], "lww-register"),
    caused: (s, run) => new Set(opSteps(s).map((st) => st.node)).size >= 2 && finals(run).every((v) => !Array.isArray(v)),
    fix: useCrdt("mv-register", "A multi-value register keeps every concurrent write (one per causal branch): both numbers are shown until someone writes over them."),
    fixed: (_s, run) => finals(run).every((v) => Array.isArray(v) && v.length >= 2),
  },
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
