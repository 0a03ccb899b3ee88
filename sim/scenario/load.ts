/**
 * The scenario loader: file → JSON (line/column on malformed input) → shape (zod, strict) →
 * cross-field rules → CRDT resolution → op checks against that CRDT. Whatever goes wrong, the
 * only thing thrown is a ScenarioError (`<file>: <path>: <reason>`); nothing is half-loaded.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Crdt } from "../../core/contract.ts";
import type { Scenario } from "./types.ts";
import { ScenarioError, oneLine, type ScenarioIssue } from "./load-errors.ts";
import { loadLawsCheck } from "../checkers/laws.ts";
import { IssueError, modulePathOf, opIssues, resolveCrdt } from "./load-crdt.ts";
import { convertAll } from "./load-issues.ts";
import { JsonSyntaxError, parseJson } from "./load-json.ts";
import { semanticIssues } from "./load-semantics.ts";
import { restoreProtoKeys } from "./proto-keys.ts";
import { scenarioSchema } from "./schema.ts";

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
};

export type ValidateOptions = { file?: string };
export type PrepareOptions = { file?: string; baseDir?: string };

/** Shape and cross-field validation of a parsed value. Throws ScenarioError listing every problem. */
export function validateScenario(input: unknown, options: ValidateOptions = {}): Scenario {
  const file = options.file ?? "<scenario>";
  let issues: ScenarioIssue[];
  try {
    const parsed = scenarioSchema.safeParse(input);
    if (parsed.success) {
      const { $schema: _ignored, ...scenario } = parsed.data;
      issues = [...restoreProtoKeys(input, scenario), ...semanticIssues(scenario)];
      if (issues.length === 0) return scenario;
    } else {
      issues = convertAll(parsed.error.issues, input);
    }
  } catch (e) {
    // Belt and braces: a validator bug must still surface as bad input, never as a crash.
    issues = [{ path: "", reason: `cannot validate: ${oneLine(e instanceof Error ? e.message : String(e))}` }];
  }
  throw new ScenarioError(file, issues.length ? issues : [{ path: "", reason: "invalid scenario" }]);
}

/** Parses scenario text (strict JSON: no duplicate keys) and validates it. */
export function parseScenario(text: string, options: ValidateOptions = {}): Scenario {
  const file = options.file ?? "<scenario>";
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ScenarioError(file, e.issue);
    throw new ScenarioError(file, { path: "", reason: `cannot parse JSON: ${e instanceof Error ? e.message : String(e)}` });
  }
  return validateScenario(value, { file });
}

/**
 * Validates a scenario object (or checks an already valid one), resolves its CRDT — a plugin
 * path is relative to `baseDir`, default the working directory — and checks its ops.
 */
export async function prepareScenario(input: unknown, options: PrepareOptions = {}): Promise<LoadedScenario> {
  const file = options.file ?? "<scenario>";
  const scenario = validateScenario(input, { file });
  const baseDir = resolve(options.baseDir ?? process.cwd());
  if (scenario.expect?.checks && Object.hasOwn(scenario.expect.checks, "laws")) await loadLawsCheck();
  try {
    const resolved = await resolveCrdt(scenario.crdt, baseDir);
    const issues = opIssues(scenario, resolved);
    if (issues.length) throw new ScenarioError(file, issues);
    const loaded: LoadedScenario = { file, scenario, crdt: resolved.crdt, crdtName: resolved.crdt.name };
    if (resolved.modulePath) loaded.modulePath = resolved.modulePath;
    return loaded;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    if (e instanceof IssueError) throw new ScenarioError(file, e.issues);
    throw new ScenarioError(file, { path: "crdt", reason: oneLine(e instanceof Error ? e.message : String(e)) });
  }
}

/** Reads, validates and resolves a scenario file; plugins resolve relative to the file. */
export async function loadScenario(file: string): Promise<LoadedScenario> {
  return prepareScenario(readScenarioFile(file), { file, baseDir: dirname(resolve(file)) });
}

/**
 * Reads and validates a scenario file without resolving its CRDT: nothing of a plugin runs (the
 * CLI decides from `crdt` whether the run needs a supervised thread).
 */
export function readScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a scenario file" : oneLine((e as Error).message);
    throw new ScenarioError(file, { path: "", reason: `cannot read scenario: ${why}` });
  }
  return parseScenario(text, { file });
}

/**
 * The scenario as a self-contained value to store beside a run (run-dir `scenario.json`): the
 * seed actually used is written in, and a plugin path is made absolute so the copy replays from
 * anywhere.
 */
export function portableScenario(loaded: Pick<LoadedScenario, "scenario" | "modulePath">, seed: number): Scenario {
  const out: Scenario = { ...loaded.scenario, seed };
  if (loaded.modulePath) out.crdt = { module: loaded.modulePath };
  return out;
}

export { modulePathOf };
