/**
 * The scenario format as a zod schema: the single source of both validation (sim/scenario/load.ts)
 * and scenarios/scenario.schema.json (written by `npm run schema`). Every object is strict — an
 * unknown key is an error, because a misspelt `"duplicte": 0.5` silently ignored would make a
 * scenario test something other than what its author believes.
 *
 * This file checks shapes only. Cross-field rules (declared nodes, ordered times, op names of the
 * resolved CRDT, check names) live in load-semantics.ts and load-crdt.ts.
 */
import { z } from "zod";
import type { ArgGen } from "../../core/contract.ts";
import type { Scenario } from "./types.ts";
import { MAX_LATENCY_MS, MAX_TIME_MS } from "./load-bounds.ts";

/** Integer virtual milliseconds from 0. */
const time = z
  .int()
  .min(0, "times must be non-negative integers (virtual ms)")
  .max(MAX_TIME_MS, `times must be at most ${MAX_TIME_MS} ms (about 31.7 years of virtual time)`)
  .describe("integer virtual ms from 0");
const probability = z.number().min(0, "a probability must be in [0, 1]").max(1, "a probability must be in [0, 1]");
const nodeName = z.string().min(1, "a node name must not be empty");
/** A message id as the trace numbers them (from 1). */
const messageId = z.int().min(1, "message ids start at 1");
/** A latency parameter in ms; load-bounds.ts also bounds what a distribution can draw from it. */
const ms = z.number().min(0, "must be a non-negative number of ms").max(MAX_LATENCY_MS, `must be at most ${MAX_LATENCY_MS} ms (about 11.6 days)`);
const positiveMs = z.number().positive("must be positive").max(MAX_LATENCY_MS, `must be at most ${MAX_LATENCY_MS} ms (about 11.6 days)`);
/** A counter name or a transaction key (the core services cap them at 256 characters). */
const serviceName = z.string().min(1, "must not be empty").max(256, "at most 256 characters");

/** A replica message named by its link and the instant of its send (sim/engine/message-fates.ts). */
const messageRef = z
  .strictObject({
    from: nodeName.describe("the sender"),
    to: nodeName.describe("the recipient"),
    at: time.describe("the virtual ms of the send"),
    nth: z.int().min(0).optional().describe("which send from `from` to `to` in that instant, from 0 (default 0)"),
  })
  .describe("a replica message: the nth send from `from` to `to` at virtual time `at`");

const latency = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("constant"), ms, max: ms.optional() }),
  z.strictObject({ dist: z.literal("uniform"), min: ms, max: ms }),
  z.strictObject({ dist: z.literal("normal"), mean: ms, sd: ms, max: ms.optional() }),
  z.strictObject({ dist: z.literal("exponential"), mean: positiveMs, max: ms.optional() }),
  z.strictObject({ dist: z.literal("pareto"), scale: positiveMs, shape: z.number().positive("must be positive"), max: ms.optional() }),
]);

/**
 * One argument generator: any JSON value here; its shape (a generator, or a literal) is checked
 * by core's one parser in load-semantics.ts, which names the field and the reason. Typed as
 * core's ArgGen union so that a loaded scenario's op mix is core's OpSpec.
 */
const argGen = z.unknown() as z.ZodType<ArgGen>;

/** One entry of an op mix: `{ op, args?: ArgGen[], weight? }`. */
export const opSpecSchema = z.strictObject({
  op: z.string().min(1),
  args: z.array(argGen).optional(),
  weight: z.number().positive().optional(),
});

/** A builtin name, a builtin with options (checked by the builtin itself), or a plugin module. */
export const crdtSpecSchema = z.union([z.string().min(1), z.strictObject({ module: z.string().min(1) }), z.looseObject({ type: z.string().min(1) })]);

/**
 * Step variants, in this order; load.ts picks the variant by which action key a step has, so an
 * error names the field of the step the author meant rather than "no union member matched".
 */
export const STEP_ACTIONS = ["op", "partition", "cut", "heal", "crash", "restart", "pause", "resume", "clockJump", "drop", "duplicate", "hold", "next", "txn", "sql"] as const;
export const stepSchemas = [
  z.strictObject({ at: time, node: nodeName, op: z.string().min(1), args: z.array(z.unknown()).optional() }),
  z.strictObject({ at: time, partition: z.array(z.array(nodeName).min(1, "a partition group must not be empty")).min(1) }),
  z.strictObject({ at: time, cut: z.array(z.tuple([nodeName, nodeName])).min(1) }),
  z.strictObject({ at: time, heal: z.literal(true) }),
  z.strictObject({ at: time, crash: nodeName }),
  z.strictObject({ at: time, restart: nodeName }),
  z.strictObject({ at: time, pause: nodeName }),
  z.strictObject({ at: time, resume: nodeName }),
  z.strictObject({ at: time, clockJump: z.strictObject({ node: nodeName, by: z.int() }) }),
  z.strictObject({ at: time, drop: messageId.describe("a replica message in flight (the trace's msg): lost now") }),
  z.strictObject({ at: time, duplicate: messageId.describe("a replica message in flight (the trace's msg): a copy sent now") }),
  z.strictObject({ at: time, hold: messageId.describe("a replica message in flight (the trace's msg): held until the next heal") }),
  z.strictObject({ at: time, node: nodeName, next: serviceName.describe("the counter to draw the next number of (services.sequencer)") }),
  z.strictObject({
    at: time,
    node: nodeName,
    txn: z
      .strictObject({
        write: z.record(serviceName, z.unknown()).optional().describe("key → JSON value, written atomically"),
        read: z.array(serviceName).optional().describe("keys read together"),
      })
      .describe("a RAMP transaction (services.ramp): exactly one of write / read"),
  }),
  z.strictObject({
    at: time,
    node: nodeName,
    sql: z.string().min(1).describe("an INSERT, UPDATE or DELETE against the scenario's schema (docs/sql.md)"),
    params: z.array(z.unknown()).optional().describe("the values of $1, $2, … in order"),
  }),
] as const;

const serviceTimes = {
  timeoutMs: z.int().min(1).optional().describe("a client gives up (reports the request unavailable) this long after asking"),
  retryMs: z.int().min(1).optional().describe("a client resends an unanswered request this often"),
};

/** Random service requests: Poisson arrivals per node, like the replicas' `workload`. */
const serviceWorkload = {
  ratePerNode: z.number().min(0).max(10_000).describe("requests per virtual second per node"),
  from: time.optional(),
  to: time.optional(),
  nodes: z.array(nodeName).min(1).optional().describe("the nodes that ask; default: every node"),
};

/** Services on named nodes (sim/services), beside the CRDT replicas. */
export const servicesSchema = z.strictObject({
  sequencer: z
    .strictObject({
      node: nodeName.describe("the node the sequencer runs on"),
      ...serviceTimes,
      workload: z.strictObject({ ...serviceWorkload, names: z.array(serviceName).min(1).optional().describe('counter names, picked uniformly; default ["invoice"]') }).optional(),
    })
    .optional()
    .describe("globally-sequenced counters (invoice numbers): steps { node, next: name }"),
  ramp: z
    .strictObject({
      shards: z.array(nodeName).min(1, "declare at least one shard").describe("the nodes that hold the keys"),
      keys: z.record(serviceName, nodeName).optional().describe("key → shard; omitted: a hash of the key picks the shard"),
      mode: z.enum(["ramp", "naive"]).optional().describe('"ramp" (default): RAMP-Fast, read-atomic; "naive": put and one-round reads (fractured reads)'),
      ...serviceTimes,
      workload: z
        .strictObject({
          ...serviceWorkload,
          keys: z.array(serviceName).min(1).optional().describe("the keys transactions touch (a random non-empty subset each); default: the keys of services.ramp.keys"),
          reads: probability.optional().describe("fraction of transactions that read (default 0.5); the others write"),
        })
        .optional(),
    })
    .optional()
    .describe("RAMP-Fast multi-key transactions: steps { node, txn: { write } | { read } }"),
});

export const scenarioSchema = z.strictObject({
  /** Editors may point at scenario.schema.json; the loader drops this key. */
  $schema: z.string().optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a name is letters, digits, '.', '_' and '-' (it names the run directory)")
    .max(100),
  description: z.string().optional(),
  seed: z.int().optional().describe("PRNG seed; `run --seed` overrides it"),
  nodes: z.array(nodeName).min(1, "declare at least one node").describe("the replicas, by name; every other field refers to these"),
  crdt: crdtSpecSchema
    .optional()
    .describe(
      'a builtin name ("or-set"), a builtin with options ({"type": "lww-register", "clock": "physical"}) or {"module": "./my-crdt.ts"} relative to this file; leave it out when `schema` gives the tables',
    ),
  schema: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe("CREATE TABLE statements (docs/sql.md); the scenario's crdt is then the store holding those tables, and steps may be { node, sql }"),
  sync: z
    .strictObject({
      mode: z.enum(["delta", "state", "op"]).optional(),
      antiEntropyMs: time.optional(),
      antiEntropy: z
        .enum(["state", "digest"])
        .optional()
        .describe('delta/state modes: a round sends the full state ("state", default) or a version-vector digest answered with only what the sender lacks ("digest")'),
      dedup: z.boolean().optional().describe("op mode: drop an op already delivered (default true)"),
      causal: z.boolean().optional().describe("op mode: deliver an op only after everything it depends on (default true)"),
    })
    .optional(),
  network: z
    .strictObject({
      latency: latency.optional(),
      loss: probability.optional(),
      duplicate: probability.optional(),
      reorder: probability.optional(),
      fifo: z.boolean().optional(),
      partitionMode: z.enum(["drop", "hold"]).optional(),
      fates: z
        .strictObject({
          lost: z.array(messageRef).optional().describe("messages that are lost"),
          duplicated: z.array(messageRef).optional().describe("messages delivered twice (the copy gets its own latency)"),
        })
        .optional()
        .describe("named messages lost or duplicated besides what loss and duplicate draw (docs/faults.md); the shrinker writes these when it freezes a run's drawn fates"),
    })
    .optional(),
  clocks: z.record(z.string(), z.strictObject({ skew: z.int().optional(), drift: z.number().gt(-1).lt(1).optional() })).optional(),
  storage: z
    .strictObject({
      syncLagMs: time.optional().describe("ms from a node's first unsynced write to its sync (group commit); a crash loses unsynced writes; 0 = every write synced at once"),
    })
    .optional(),
  steps: z.array(z.union(stepSchemas)).optional().describe("scripted ops and faults, in non-decreasing `at` order"),
  workload: z
    .strictObject({
      from: time.optional(),
      to: time.optional(),
      ratePerNode: z.number().min(0).max(1_000_000),
      ops: z.array(opSpecSchema).min(1).optional(),
      nodes: z.array(nodeName).min(1).optional(),
    })
    .optional(),
  nemesis: z
    .strictObject({
      partitions: z
        .strictObject({
          every: z.int().min(1),
          duration: z.tuple([time, time]),
          shape: z.enum(["random", "halves", "one", "bridge", "ring", "one-way"]).optional(),
        })
        .optional(),
      clocks: z
        .strictObject({
          every: z.int().min(1),
          skew: z.tuple([z.int(), z.int()]).optional().describe("[lo, hi] ms: a disturbed node's new skew"),
          jump: z.tuple([z.int(), z.int()]).optional().describe("[lo, hi] ms: a disturbed node's clock step"),
        })
        .optional(),
      crashes: z
        .strictObject({
          every: z.int().min(1),
          downtime: z.tuple([time, time]).describe("[lo, hi] ms before the crashed node restarts"),
        })
        .optional(),
    })
    .optional(),
  services: servicesSchema.optional().describe("services on named nodes: a sequencer and/or RAMP transaction shards (docs/services.md)"),
  duration: time.describe("virtual ms of activity; then every fault heals and anti-entropy runs to quiescence before the final checks"),
  expect: z
    .strictObject({
      checks: z.record(z.string(), z.boolean()).optional().describe("check name → must pass (true) or must catch an anomaly (false); unlisted checks must pass"),
      value: z.unknown().optional().describe("the final value every replica must show"),
    })
    .optional(),
  limits: z
    .strictObject({
      events: z.int().min(1).optional().describe("simulator events (stats.events) a run may take; default 1000000 traced, 50000000 with --no-trace"),
      nodes: z.int().min(1).optional().describe("nodes a scenario may declare; default 1000"),
    })
    .optional()
    .describe("raise the bounds on a run's size for a scenario meant to be big (docs/limits.md); --max-events / --max-nodes win over this"),
});

// Compile-time proof that the schema produces exactly the Scenario type the engine consumes:
// if either drifts, this line stops type-checking. (Mutual assignability would not do: it
// misses a dropped optional field; this identity test does not.)
type Exactly<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Parsed = Omit<z.output<typeof scenarioSchema>, "$schema">;
// `crdt` is optional in the file (a `schema` implies it) and always set once loaded (load-sql.ts).
const _schemaMatchesScenario: Exactly<Omit<Parsed, "crdt">, Omit<Scenario, "crdt">> = true;
const _crdtMatches: Exactly<Parsed["crdt"], Scenario["crdt"] | undefined> = true;
void _schemaMatchesScenario;
void _crdtMatches;

/** The JSON Schema of the scenario format (what `npm run schema` writes). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: "MemoConductor scenario",
    description: "A deterministic simulation scenario (see docs/scenarios.md). Cross-field rules (declared nodes, ordered times, the CRDT's op names) are checked by the loader.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}
