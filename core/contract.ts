/**
 * The CRDT contract shared by builtins and user plugins (docs/design.md, "The CRDT contract").
 * The simulator drives every replica only through these interfaces, so a user's plugin is
 * exercised exactly like a builtin.
 */
import type { Json } from "./util/json.ts";

/** One operation as issued by a client: `{ op: "add", args: ["x"] }`. */
export type Op = { op: string; args: unknown[] };

/**
 * What a call may know about where it runs. `now()` is the node's own (skewed) clock in ms.
 * `random()` is a uniform float in [0, 1) from a stream seeded by the run's seed and the node's
 * name: a plugin routes a library's ambient randomness (Yjs client ids, Automerge actor ids)
 * through it and its runs replay. The simulator, `laws` and `explore` always provide it (to
 * `init`, `update` and `prepare`); a builtin running in a real node gets no `random`, and uses none.
 */
export type Ctx = { replica: string; now(): number; random?(): number };

/** `{ int: [lo, hi] }`: an integer drawn uniformly from lo to hi, both included (lo ≤ hi). */
export type IntArgGen = { readonly int: readonly [lo: number, hi: number] };

/** `{ pick: [...] }`: one of the listed values, each as likely (the list must not be empty). */
export type PickArgGen = { readonly pick: readonly unknown[] };

/** `{ string: n }`: a string of exactly n letters a–z (0 ≤ n ≤ 10000). */
export type StringArgGen = { readonly string: number };

/**
 * A literal argument, passed to every op as it is: any JSON value. An object is a literal only
 * when it has none of the generator keys: `{ "int": [5] }` is refused as a malformed generator
 * (by the compiler here, by the loader in a scenario), not taken as the value the user meant.
 */
export type ArgLiteral = string | number | boolean | null | Json[] | ({ [key: string]: Json } & { int?: never; pick?: never; string?: never });

/**
 * An argument generator for random workloads, `explore` and `laws`: one of the three generator
 * shapes ({@link IntArgGen}, {@link PickArgGen}, {@link StringArgGen}) or a literal
 * ({@link ArgLiteral}). A generator is an object with exactly its one key; core/arg-gen.ts parses
 * it the same way for every tool (the workload, fast-check's mapping, the loader's validation).
 *
 * @example
 * ```ts
 * const ops: OpSpec[] = [
 *   { op: "set", args: [{ pick: ["name", "email"] }, { string: 3 }], weight: 3 },
 *   { op: "inc", args: [{ int: [1, 5] }] },
 *   { op: "tag", args: ["draft"] }, // a literal
 * ];
 * ```
 */
export type ArgGen = IntArgGen | PickArgGen | StringArgGen | ArgLiteral;

/**
 * One entry of a type's op alphabet; a scenario's workload, `explore` and `laws` generate random
 * ops from it: `op` with one argument per generator in `args`, chosen with relative frequency
 * `weight` (default 1) among the alphabet's entries.
 */
export type OpSpec = { op: string; args?: ArgGen[]; weight?: number };

/**
 * A compact, validating encoding of a type's states (and deltas, which are states).
 * `decode` throws a {@link DecodeError} on malformed input and never returns a partial state.
 */
export interface Codec<S> {
  encode(state: S): Uint8Array;
  decode(bytes: Uint8Array): S;
  /** Optional: `encode(state).length` without building the bytes (the simulator sizes every message). */
  size?(state: S): number;
}

/**
 * A list or text type (value: a string) declares it, and the sequence checks apply to it:
 * `sequence-intent` (what was typed is kept, where it was typed relative to its neighbours: the
 * strong list specification) and `no-interleaving` (runs typed concurrently at one place stay
 * whole). `interleaves` says why the type does not promise the second: that check then runs only
 * when a scenario names it.
 */
export type SequenceTraits = { interleaves?: string };

/**
 * One change event of a text type, in the delta format of Quill and Yjs: `retain n` keeps n
 * characters, `insert s` inserts s there, `delete n` removes n; the rest of the text is kept.
 */
export type TextDelta = ({ retain: number } | { insert: string } | { delete: number })[];

/** Convergent (state-based) CRDT, optionally with delta mutators. */
export interface StateCrdt<S = any, V = unknown> {
  kind: "state";
  name: string;
  ops: OpSpec[];
  /** `ctx` (optional to read): the node's clock and seeded random stream, as for `update`. */
  init(replica: string, ctx?: Ctx): S;
  /** May mutate and return `state`; the returned `delta` must share nothing mutable with it. */
  update(state: S, op: Op, ctx: Ctx): { state: S; delta: S };
  /** May mutate and return `a`; never mutates `b` (a delta is shared by every recipient). */
  merge(a: S, b: S): S;
  value(state: S): V;
  clone?(state: S): S;
  sequence?: SequenceTraits;
  /**
   * Optional, for a text type (a string value): the change events its library emitted since the
   * last call, oldest first — what an editor would be told (Yjs's Y.Text observer deltas). The
   * harness drains them after every change to a replica, and the `change-events` check holds
   * that applying them in order to the value the replica showed reproduces `value()`.
   */
  events?(state: S): TextDelta[];
  /**
   * Optional: whether `state` is the initial state, i.e. encodes like `init(…)` — without
   * encoding it. Containers (record, store) ask it of every update's delta; a type without it
   * is asked through its codec (encode and compare).
   */
  isBottom?(state: S): boolean;
  /** Builtins only (optional for plugins): compact validating encoding of states and deltas. */
  codec?: Codec<S>;
}

/** Commutative (op-based) CRDT. The harness provides exactly-once causal delivery. */
export interface OpCrdt<S = any, E = any, V = unknown> {
  kind: "op";
  name: string;
  ops: OpSpec[];
  /** `ctx` (optional to read): the node's clock and seeded random stream, as for `prepare`. */
  init(replica: string, ctx?: Ctx): S;
  /** Runs at the origin only; the returned effect is JSON-serialisable. */
  prepare(state: S, op: Op, ctx: Ctx): E;
  /** Runs at every replica, the origin included. */
  effect(state: S, effect: E, meta: { origin: string; seq: number }): S;
  value(state: S): V;
  clone?(state: S): S;
  sequence?: SequenceTraits;
  /**
   * Optional, for a text type (a string value): the change events its library emitted since the
   * last call, oldest first — what an editor would be told (Yjs's Y.Text observer deltas). The
   * harness drains them after every change to a replica, and the `change-events` check holds
   * that applying them in order to the value the replica showed reproduces `value()`.
   */
  events?(state: S): TextDelta[];
}

export type Crdt = StateCrdt<any, unknown> | OpCrdt<any, any, unknown>;

/**
 * What the merge of a type that declares `answers: true` returns: the merged state, and deltas
 * to broadcast to every peer (none, or `send` left out: a plain merge). An answer is a delta of
 * the state that sends it (merging it there changes nothing), and it counts as carrying what the
 * answered message carried: the receivers learn the update(s) the answered delta or state held,
 * so an answer includes them (forward `b`, or `b` joined with a cleanup). `laws` checks both.
 */
export type Answer<S> = { state: S; send?: S[] };

/**
 * A state-based type whose merge may answer: having merged a message in, it has something to
 * tell every peer (a cleanup, a resolution, what it learned and passes on). The simulator sends
 * each answer through the network like any replica message (traced, counted in `stats.answers`,
 * subject to every fault). In op mode (sync.mode "op") an answer goes as an op of the answering
 * replica, as an op-based type's does (see {@link AnsweringOpCrdt}).
 */
export interface AnsweringStateCrdt<S = any, V = unknown> extends Omit<StateCrdt<S, V>, "merge"> {
  answers: true;
  merge(a: S, b: S): Answer<S>;
}

/**
 * What the effect of an op-based type that declares `answers: true` returns: the state, and
 * effects to broadcast (none, or `send` left out: a plain effect). Each answer is an op of the
 * answering replica: the simulator numbers it as that replica's next op (its dependencies: what
 * the replica has delivered, the answered op included), applies it there through `effect` like
 * any op at its origin, and broadcasts it through the causal layer (traced, counted in
 * `stats.answers`, subject to every fault, retransmitted by anti-entropy). So an answer is not
 * applied by the effect that sends it. `laws` delivers answers in its histories, where they are
 * held to the op laws like every other effect.
 */
export type OpAnswer<S, E> = { state: S; send?: E[] };

/** An op-based type whose effect may answer (a cleanup, a resolution, an acknowledgement). */
export interface AnsweringOpCrdt<S = any, E = any, V = unknown> extends Omit<OpCrdt<S, E, V>, "effect"> {
  answers: true;
  effect(state: S, effect: E, meta: { origin: string; seq: number }): OpAnswer<S, E>;
}

/** A type that answers: a state-based merge or an op-based effect that returns messages to broadcast. */
export type AnsweringCrdt = AnsweringStateCrdt | AnsweringOpCrdt;

/** A builtin type's options as written in a scenario: `{ "type": "lww-register", "clock": "hlc" }`. */
export type CrdtOptions = Record<string, unknown>;

/**
 * A builtin type: the contract object with default options, plus a factory for the same type
 * configured with options (an unknown or ill-typed option throws a {@link CrdtOptionError}).
 */
export type BuiltinCrdt = StateCrdt<any, unknown> & {
  configure(options: CrdtOptions): StateCrdt<any, unknown>;
};
