/**
 * The scenario loader: file → JSON (line/column on malformed input) → shape (zod, strict) →
 * cross-field rules → CRDT resolution → op checks against that CRDT. Whatever goes wrong, the
 * only thing thrown is a ScenarioError (`<file>: <path>: <reason>`); nothing is half-loaded.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ArgGen, Crdt } from "../../core/contract.ts";
import type { Scenario } from "./types.ts";
import { ScenarioError, oneLine, type ScenarioIssue } from "./load-errors.ts";
import { loadLawsCheck } from "../checkers/laws.ts";
import { IssueError, modulePathOf, opIssues, resolveBuiltinSpec, resolveCrdt } from "./load-crdt.ts";
import { convertAll } from "./load-issues.ts";
import { JsonSyntaxError, parseJson } from "./load-json.ts";
import { nonFiniteIssues } from "./load-bounds.ts";
import { semanticIssues } from "./load-semantics.ts";
import { restoreProtoKeys } from "./proto-keys.ts";
import { DEFAULT_LIMITS, MAX_NODES_EVER, nodeLimit, RAISE, type LimitOverrides } from "./limits.ts";
import { scenarioSchema } from "./schema.ts";
import { sqlIssues } from "./load-sql.ts";

export { ScenarioError } from "./load-errors.ts";
export type { ScenarioIssue } from "./load-errors.ts";

export type LoadedScenario = {
  /** The file as given (or a label such as "<scenario>" for an in-memory object). */
  file: string;
  scenario: Scenario;
  crdt: Crdt;
  /** The CRDT's contract name (a builtin's registry name or the plugin's `name`). */
  crdtName: string;
  /** Absolute path of the plugin module, when `crdt` is `{ module }`. */
  modulePath?: string;
  /** The caller's limits (CLI flags), which win over the scenario's `limits` block when it runs. */
  limits: LimitOverrides;
};

export type ValidateOptions = { file?: string; limits?: LimitOverrides };
export type PrepareOptions = { file?: string; baseDir?: string; limits?: LimitOverrides };

/** Shape and cross-field validation of a parsed value. Throws ScenarioError listing every problem. */
export function validateScenario(input: unknown, options: ValidateOptions = {}): Scenario {
  const file = options.file ?? "<scenario>";
  let issues: ScenarioIssue[];
  try {
    // First: an Infinity would otherwise surface as some other field's type error, or not at all (args, values).
    issues = nonFiniteIssues(input);
    if (issues.length === 0) {
      const parsed = scenarioSchema.safeParse(input);
      if (parsed.success) {
        const { $schema: _ignored, ...withUndefined } = parsed.data;
        // `crdt` may be absent in the file when `schema` gives the tables: sqlIssues fills it in.
        const scenario = dropUndefined(withUndefined) as Scenario;
        const max = nodeLimit(scenario, options.limits);
        // Before anything scales with the node count (every further check, and the engine's n×n tables).
        if (scenario.nodes.length > max) throw new ScenarioError(file, { path: "nodes", reason: `${scenario.nodes.length} nodes is over the limit of ${max} (${RAISE.nodes})` });
        // Whatever the limit is raised to: the engine's n×n tables are typed arrays (a raw RangeError past this).
        if (scenario.nodes.length > MAX_NODES_EVER)
          throw new ScenarioError(file, {
            path: "nodes",
            reason: `${scenario.nodes.length} nodes is more than the simulator can hold (its n×n link tables allow at most ${MAX_NODES_EVER})`,
          });
        // SQL first: it fills in the crdt a schema implies, which the further checks read.
        issues = sqlIssues(scenario);
        if (issues.length) throw new ScenarioError(file, issues);
        issues = [...restoreProtoKeys(input, scenario), ...semanticIssues(scenario)];
        if (issues.length === 0) return scenario;
        // Not a valid scenario either way: a builtin's CRDT and op problems (found later when it
        // is) are listed too, so one attempt shows the author everything to fix.
        issues.push(...builtinIssues(scenario));
      } else {
        issues = convertAll(parsed.error.issues, input);
      }
    }
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    // Belt and braces: a validator bug must still surface as bad input, never as a crash.
    issues = [{ path: "", reason: `cannot validate: ${oneLine(e instanceof Error ? e.message : String(e))}` }];
  }
  throw new ScenarioError(file, issues.length ? issues : [{ path: "", reason: "invalid scenario" }]);
}

/** The problems prepareScenario would find with a builtin CRDT and its ops (none for a plugin: it is not imported here). */
function builtinIssues(scenario: Scenario): ScenarioIssue[] {
  if (modulePathOf(scenario.crdt, ".") !== undefined) return [];
  try {
    return opIssues(scenario, resolveBuiltinSpec(scenario.crdt as string | { type: string }));
  } catch (e) {
    if (e instanceof IssueError) return e.issues;
    return [];
  }
}

function parseText(text: string, file: string): unknown {
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ScenarioError(file, e.issue);
    throw new ScenarioError(file, { path: "", reason: `cannot parse JSON: ${oneLine(e instanceof Error ? e.message : String(e))}` });
  }
}

/** Parses scenario text (strict JSON: no duplicate keys) and validates it. */
export function parseScenario(text: string, options: ValidateOptions = {}): Scenario {
  const file = options.file ?? "<scenario>";
  return validateScenario(parseText(text, file), { ...options, file });
}

/**
 * Validates a scenario object (or checks an already valid one), resolves its CRDT — a plugin
 * path is relative to `baseDir`, default the working directory — and checks its ops.
 */
/** A value with every optional field's explicit `undefined` taken out of its type. */
// (A homomorphic mapped type keeps arrays and tuples as they are.)
// An op argument (core's ArgGen) is a JSON value with no optional fields: left as it is, since
// mapping its recursive literal type would never end.
type Defined<T> = T extends ArgGen ? T : T extends object ? { [K in keyof T]: Defined<Exclude<T[K], undefined>> } : T;

/**
 * zod lets an optional field through with an explicit `undefined` (a library caller may pass
 * `{ seed: undefined }`; JSON cannot say it). A Scenario has no such fields: an optional field
 * given as undefined means absent, and is dropped — in place, on zod's fresh copy.
 */
function dropUndefined<T>(v: T): Defined<T> {
  if (Array.isArray(v)) for (const x of v) dropUndefined(x);
  else if (typeof v === "object" && v !== null) {
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) delete (v as Record<string, unknown>)[k];
      else dropUndefined(x);
    }
  }
  return v as Defined<T>;
}

export async function prepareScenario(input: unknown, options: PrepareOptions = {}): Promise<LoadedScenario> {
  const file = options.file ?? "<scenario>";
  const limits = options.limits ?? {};
  const scenario = validateScenario(input, { file, limits });
  const baseDir = resolve(options.baseDir ?? process.cwd());
  if (scenario.expect?.checks && Object.hasOwn(scenario.expect.checks, "laws")) await loadLawsCheck();
  try {
    const resolved = await resolveCrdt(scenario.crdt, baseDir);
    const issues = opIssues(scenario, resolved);
    if (issues.length) throw new ScenarioError(file, issues);
    const loaded: LoadedScenario = { file, scenario, crdt: resolved.crdt, crdtName: resolved.crdt.name, limits };
    if (resolved.modulePath) loaded.modulePath = resolved.modulePath;
    return loaded;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    if (e instanceof IssueError) throw new ScenarioError(file, e.issues);
    throw new ScenarioError(file, { path: "crdt", reason: oneLine(e instanceof Error ? e.message : String(e)) });
  }
}

export type LoadOptions = { limits?: LimitOverrides };

/** Reads, validates and resolves a scenario file; plugins resolve relative to the file. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<LoadedScenario> {
  const limits = options.limits ?? {};
  // Validated once, by prepareScenario: on a file of a million steps each pass costs seconds.
  return prepareScenario(readScenarioText(file, limits), { file, baseDir: dirname(resolve(file)), limits });
}

/**
 * Reads and validates a scenario file without resolving its CRDT: nothing of a plugin runs (the
 * CLI decides from `crdt` whether the run needs a supervised thread).
 */
export function readScenarioFile(file: string, options: LoadOptions = {}): Scenario {
  const limits = options.limits ?? {};
  return validateScenario(readScenarioText(file, limits), { file, limits });
}

/** The file's parsed JSON, not yet validated; refused unread when it is not a regular file or too big. */
function readScenarioText(file: string, limits: LimitOverrides): unknown {
  let text: string;
  try {
    // The size first: a file too big to parse in reasonable time is refused unread.
    const st = statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    // A device or a pipe (/dev/zero) would be read forever.
    if (!st.isFile()) throw new ScenarioError(file, { path: "", reason: "cannot read scenario: not a regular file" });
    const size = st.size;
    const max = limits.fileBytes ?? DEFAULT_LIMITS.fileBytes;
    if (size > max) throw new ScenarioError(file, { path: "", reason: `the file is ${megabytes(size)}, over the limit of ${megabytes(max)} (${RAISE.fileBytes})` });
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a scenario file" : oneLine((e as Error).message);
    throw new ScenarioError(file, { path: "", reason: `cannot read scenario: ${why}` });
  }
  return parseText(text, file);
}

const megabytes = (bytes: number): string => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round(bytes / 1024 / 1024)} MB`);

/**
 * The scenario as a self-contained value to store beside a run (run-dir `scenario.json`): the
 * seed actually used is written in, and a plugin path is made absolute so the copy replays from
 * anywhere.
 */
export function portableScenario(loaded: Pick<LoadedScenario, "scenario" | "modulePath"> & { limits?: LimitOverrides }, seed: number): Scenario {
  const out: Scenario = { ...loaded.scenario, seed };
  if (loaded.modulePath) out.crdt = { module: loaded.modulePath };
  // Limits given as flags are written in too, so that the copy replays without them.
  const { events, nodes } = loaded.limits ?? {};
  if (events !== undefined || nodes !== undefined) out.limits = { ...out.limits, ...(events !== undefined ? { events } : {}), ...(nodes !== undefined ? { nodes } : {}) };
  return out;
}

export { modulePathOf };
