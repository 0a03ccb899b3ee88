/** The lessons on CRDTs: what a naive type loses, and the type that keeps it. */
import type { Run } from "../../sim/run-types.ts";
import type { CrdtSpec, Scenario } from "../../sim/scenario/types.ts";
import { failed, held, lessonStart as base, type Lesson } from "./lesson-kit.ts";
import { withCrdt } from "./session.ts";

/** A fix that swaps the CRDT and keeps every step. */
const useCrdt = (crdt: CrdtSpec, why: string): Lesson["fix"] => ({ why, apply: (s) => withCrdt(s, crdt) });
const opSteps = (s: Scenario) => (s.steps ?? []).flatMap((st) => ("op" in st ? [st] : []));
const finals = (run: Run) => Object.values(run.summary.final);

/** Elements whose last op (in step order) was an add, but which a replica does not show at the end. */
function lostReAdds(s: Scenario, run: Run): boolean {
  const last = new Map<string, string>();
  for (const st of opSteps(s)) last.set(JSON.stringify(st.args?.[0]), st.op);
  const readded = [...last].filter(([el, op]) => op === "add" && opSteps(s).some((st) => st.op === "remove" && JSON.stringify(st.args?.[0]) === el));
  return readded.some(([el]) => finals(run).some((v) => Array.isArray(v) && !v.some((x) => JSON.stringify(x) === el)));
}

/** An add and a remove of one element, issued on two different nodes. */
function concurrentAddAndRemove(s: Scenario): boolean {
  const ops = opSteps(s);
  return ops.some((r) => r.op === "remove" && ops.some((a) => a.op === "add" && a.node !== r.node && JSON.stringify(a.args?.[0]) === JSON.stringify(r.args?.[0])));
}

/** In the page's order: the talk's and the article's cases. */
export const CRDT_LESSONS: Lesson[] = [
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
    id: "or-set-add-wins",
    title: "The OR-Set's add-wins",
    point:
      "When one replica removes an element while another adds it at the same time, the set has to pick a winner. A 2P-Set lets the remove win: its tombstone also erases an add it never saw, so Bob's fresh milk vanishes.",
    task: "Tick side A on alice and partition. On alice remove milk (she bought it); on bob add milk (he wants more); heal. Play to the end: milk is gone everywhere, and add-wins rings Bob's add, which Alice's remove never saw.",
    start: base("lesson-or-set-add-wins", ["alice", "bob", "carol"], "2p-set", {
      steps: [{ at: 200, node: "carol", op: "add", args: ["milk"] }],
      expect: { checks: { "add-wins": true } },
    }),
    caused: (_s, run) => failed(run, "add-wins"),
    fix: useCrdt(
      "or-set",
      "An OR-Set tags every add with a unique dot, and a remove deletes only the dots it has seen. Bob's add made a dot Alice's remove never saw, so it survives the merge: the add wins. A remove can only cancel what its replica had observed.",
    ),
    fixed: (s, run) => held(run, "add-wins") && concurrentAddAndRemove(s),
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
];
