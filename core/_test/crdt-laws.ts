/**
 * The merge laws every state-based builtin must satisfy, run as fast-check properties over
 * states reached by random histories (local ops with colliding clock readings, and partial
 * syncs) across several replicas. States are compared by their canonical encoding, so two
 * states are "equal" only if they are byte-identical, which is stricter than equal values.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import type { Op, StateCrdt } from "../contract.ts";
import { DecodeError } from "../errors.ts";
import { at } from "./at.ts";
import { checkProperty } from "./prop.ts";
import { opArbitrary } from "./op-arbitrary.ts";

export type Step =
  | { kind: "op"; replica: number; op: Op; now: number }
  | { kind: "sync"; from: number; to: number }
  /** Merge an earlier delta, uncopied, as the simulator does: one delta object reaches every replica. */
  | { kind: "deliver"; delta: number; to: number };

export const REPLICA_IDS = ["a", "b", "c", "d"];

export function historyArbitrary(crdt: StateCrdt, replicas = 3, maxSteps = 30): fc.Arbitrary<Step[]> {
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("op" as const), replica: fc.nat(replicas - 1), op: opArbitrary(crdt.ops), now: fc.integer({ min: 0, max: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: fc.nat(replicas - 1), to: fc.nat(replicas - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("deliver" as const), delta: fc.nat(), to: fc.nat(replicas - 1) }) },
  );
  return fc.array(step, { maxLength: maxSteps });
}

export function copy<S>(crdt: StateCrdt<S>, s: S): S {
  return crdt.clone ? crdt.clone(s) : structuredClone(s);
}

/** Canonical comparison: encoded bytes when the type has a codec, else the observed value. */
export function expectSameState<S>(crdt: StateCrdt<S>, actual: S, expected: S, what: string): void {
  expect(crdt.value(actual), `${what}: values differ`).toEqual(crdt.value(expected));
  if (crdt.codec) expect(Buffer.from(crdt.codec.encode(actual)).toString("hex"), `${what}: states differ`).toBe(Buffer.from(crdt.codec.encode(expected)).toString("hex"));
}

export type Replayed<S> = { states: S[]; deltas: S[] };

/**
 * Runs a history; also checks, at every update, that merging its delta into the pre-state gives
 * the post-state, and at the end that no delta was changed by anything done after it was made
 * (a replica that merged a delta and then updated must not have written through into it).
 */
export function replay<S>(crdt: StateCrdt<S>, steps: Step[], replicas = 3, ids: readonly string[] = REPLICA_IDS): Replayed<S> {
  const states = ids.slice(0, replicas).map((id) => crdt.init(id));
  const deltas: S[] = [];
  const deltaSnapshots: S[] = [];
  for (const s of steps) {
    if (s.kind === "op") {
      const id = ids[s.replica]!;
      const pre = copy(crdt, at(states, s.replica));
      const { state, delta } = crdt.update(at(states, s.replica), s.op, { replica: id, now: () => s.now });
      states[s.replica] = state;
      const deltaCopy = copy(crdt, delta);
      expectSameState(crdt, crdt.merge(pre, delta), state, `delta of ${s.op.op}(${JSON.stringify(s.op.args)}) at ${id}`);
      expectSameState(crdt, delta, deltaCopy, "merge mutated its second argument (the delta)");
      deltas.push(delta);
      deltaSnapshots.push(deltaCopy);
    } else if (s.kind === "deliver") {
      if (deltas.length > 0) states[s.to] = crdt.merge(at(states, s.to), at(deltas, s.delta % deltas.length));
    } else {
      states[s.to] = crdt.merge(at(states, s.to), copy(crdt, at(states, s.from)));
    }
  }
  deltas.forEach((d, i) => expectSameState(crdt, d, deltaSnapshots[i], `delta #${i} was changed after it was sent (aliased into a replica's state?)`));
  return { states, deltas };
}

const merged = <S>(crdt: StateCrdt<S>, a: S, b: S): S => crdt.merge(copy(crdt, a), b);

/** Registers the law tests for one state-based type; `replicaIds` names the replicas (default a, b, c, d). */
export function lawTests<S>(crdt: StateCrdt<S>, options: { numRuns?: number; replicas?: number; replicaIds?: readonly string[] } = {}): void {
  const replicas = options.replicas ?? 3;
  const ids = options.replicaIds ?? REPLICA_IDS;
  const numRuns = options.numRuns ?? 150;
  const hist = historyArbitrary(crdt as StateCrdt, replicas);

  it(`${crdt.name}: merge is commutative, associative and idempotent on reachable states`, () => {
    checkProperty(
      fc.property(hist, (steps) => {
        const [a, b, c] = replay(crdt, steps, replicas, ids).states;
        expectSameState(crdt, merged(crdt, a, b), merged(crdt, b, a), "a⊔b vs b⊔a");
        expectSameState(crdt, merged(crdt, merged(crdt, a, b), c), merged(crdt, a, merged(crdt, b, c)), "(a⊔b)⊔c vs a⊔(b⊔c)");
        expectSameState(crdt, merged(crdt, a, a), a, "a⊔a vs a");
      }),
      { numRuns },
    );
  });

  it(`${crdt.name}: merging an update's delta into the pre-state gives the post-state; deltas are not mutated by merge`, () => {
    checkProperty(
      fc.property(hist, (steps) => void replay(crdt, steps, replicas, ids)),
      { numRuns },
    );
  });

  it(`${crdt.name}: all replicas converge once every delta reaches every replica, in any order`, () => {
    checkProperty(
      fc.property(hist, fc.infiniteStream(fc.nat()), (steps, order) => {
        const { states, deltas } = replay(crdt, steps, replicas, ids);
        // Deliver every delta to every replica in a random order, including duplicates.
        const finals = states.map((s) => {
          let out = s;
          const shuffled = deltas.map((d, i) => [order.next().value as number, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          for (const [, i] of shuffled) out = crdt.merge(out, at(deltas, i));
          // And the first delta once more: a duplicate changes nothing.
          const [first] = deltas;
          if (first !== undefined) out = crdt.merge(out, first);
          return out;
        });
        for (let i = 1; i < finals.length; i++) expectSameState(crdt, finals[i], finals[0], `replica ${ids[i]} vs ${ids[0]}`);
      }),
      { numRuns },
    );
  });

  if (crdt.codec) {
    const codec = crdt.codec;
    it(`${crdt.name}: encode/decode round-trips states and deltas, and size counts the encoded bytes`, () => {
      checkProperty(
        fc.property(hist, (steps) => {
          const { states, deltas } = replay(crdt, steps, replicas, ids);
          for (const s of [...states, ...deltas]) {
            expectSameState(crdt, codec.decode(codec.encode(s)), s, "decode(encode(s)) vs s");
            // The simulator's wire-size stat trusts `size` to count exactly what `encode` builds.
            if (codec.size) expect(codec.size(s), "size(s) vs encode(s).length").toBe(codec.encode(s).length);
          }
        }),
        { numRuns },
      );
    });

    const isBottom = crdt.isBottom;
    if (isBottom) {
      it(`${crdt.name}: isBottom tells exactly the states and deltas that encode like the initial state`, () => {
        const bottom = Buffer.from(codec.encode(crdt.init("a"))).toString("hex");
        checkProperty(
          fc.property(hist, (steps) => {
            const { states, deltas } = replay(crdt, steps, replicas, ids);
            for (const s of [crdt.init("a"), ...states, ...deltas])
              expect(isBottom.call(crdt, s), `isBottom of ${Buffer.from(codec.encode(s)).toString("hex")}`).toBe(Buffer.from(codec.encode(s)).toString("hex") === bottom);
          }),
          { numRuns },
        );
      });
    }

    it(`${crdt.name}: malformed bytes are refused with a DecodeError (truncations, random bytes, trailing garbage)`, () => {
      checkProperty(
        fc.property(hist, fc.uint8Array({ maxLength: 40 }), (steps, noise) => {
          const { states } = replay(crdt, steps, replicas, ids);
          const bytes = codec.encode(at(states, 0));
          for (let cut = 0; cut < bytes.length; cut++) expect(() => codec.decode(bytes.slice(0, cut))).toThrow(DecodeError);
          expect(() => codec.decode(new Uint8Array([...bytes, 0]))).toThrow(DecodeError);
          try {
            const s = codec.decode(noise);
            expectSameState(crdt, codec.decode(codec.encode(s)), s, "noise that decoded must round-trip");
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        }),
        { numRuns: Math.min(numRuns, 60) },
      );
    });
  }
}
