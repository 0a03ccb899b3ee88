/**
 * Turns zod's issues into `path: reason` lines a scenario author can act on. Two things need
 * care: unions (a step or a `crdt` that matches no variant) are resolved to the variant the
 * author evidently meant, by its keys, instead of "no union member matched"; and unknown keys
 * get a "did you mean" from the format's own vocabulary.
 */
import type { z } from "zod";
import { closestName } from "../../core/util/did-you-mean.ts";
import { formatPath, type ScenarioIssue } from "./load-errors.ts";
import { scenarioJsonSchema, STEP_ACTIONS } from "./schema.ts";

type ZodIssue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

let vocabulary: string[] | undefined;
/** Every key the format uses anywhere, harvested from the JSON Schema (so it never drifts). */
function knownKeys(): string[] {
  if (vocabulary) return vocabulary;
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "properties" && v && typeof v === "object") for (const p of Object.keys(v)) keys.add(p);
      walk(v);
    }
  };
  walk(scenarioJsonSchema());
  return (vocabulary = [...keys].sort());
}

/** `unknown key "durration" (did you mean "duration"?)` */
export function unknownKeyReason(key: string, candidates: readonly string[] = knownKeys()): string {
  // A key of the format in the wrong object: suggesting the key itself would help nobody.
  if (candidates.includes(key)) return `key "${key}" does not belong here`;
  const best = closestName(key, candidates);
  return `unknown key "${key}"${best === undefined ? "" : ` (did you mean "${best}"?)`}`;
}

function at(input: unknown, path: Path): unknown {
  let v = input;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const CRDT_SHAPES = 'expected a builtin name ("or-set"), {"type": "lww-register", ...options} or {"module": "./my-crdt.ts"}';
const STEP_SHAPES = `a step needs one action: "node" with "op", "next", "txn" or "sql", ${STEP_ACTIONS.slice(1, -3)
  .map((a) => `"${a}"`)
  .join(", ")}`;

/**
 * A step with more than one action, or with "node" beside an action that takes none. zod reports
 * these as unknown keys of whichever variant it tried ("heal": unknown key, did you mean "heal"?);
 * the author needs to hear that a step takes exactly one action.
 */
function stepMisfit(value: Record<string, unknown>, base: Path): ScenarioIssue[] | undefined {
  const actions = Object.keys(value).filter((k) => (STEP_ACTIONS as readonly string[]).includes(k));
  if (actions.length > 1) return [{ path: formatPath(base), reason: `a step takes exactly one action; this one has ${actions.map((a) => `"${a}"`).join(" and ")}` }];
  const action = actions[0];
  if (action !== undefined && action !== "op" && action !== "next" && action !== "txn" && action !== "sql" && "node" in value)
    return [{ path: formatPath([...base, "node"]), reason: `a "${action}" step takes no "node" ("node" goes with "op", "next", "txn" or "sql"; a step takes exactly one action)` }];
  return undefined;
}

const isStepPath = (p: Path): boolean => p.length === 2 && p[0] === "steps" && typeof p[1] === "number";

/** Picks the union variant the author meant, or explains the whole union in one reason. */
function resolveUnion(issue: Extract<ZodIssue, { code: "invalid_union" }>, input: unknown, base: Path): ScenarioIssue[] {
  const value = at(input, base);
  const here = formatPath(base);
  const branch = (k: number): ScenarioIssue[] => issue.errors[k]!.flatMap((i) => convert(i, input, base));
  const isStep = isStepPath(base);
  if (isStep && isObject(value)) {
    const misfit = stepMisfit(value, base);
    if (misfit) return misfit;
    const action = STEP_ACTIONS.find((a) => a in value);
    if (action !== undefined) return branch(STEP_ACTIONS.indexOf(action));
    if ("node" in value) return branch(0);
    const strays = Object.keys(value).filter((k) => k !== "at");
    if (strays.length) return strays.map((k) => ({ path: formatPath([...base, k]), reason: `${unknownKeyReason(k, [...STEP_ACTIONS, "node", "args", "at"])}; ${STEP_SHAPES}` }));
    return [{ path: here, reason: STEP_SHAPES }];
  }
  if (isStep) return [{ path: here, reason: `expected an object; ${STEP_SHAPES}` }];
  if (base.length === 1 && base[0] === "crdt") {
    if (typeof value === "string") return branch(0);
    if (isObject(value) && "module" in value && !("type" in value)) return branch(1);
    if (isObject(value) && "type" in value) return branch(2);
    return [{ path: here, reason: CRDT_SHAPES }];
  }
  // Any other union: the variant with the fewest problems that is at least the right kind.
  const fits = issue.errors
    .map((errs, k) => ({ k, errs }))
    .filter(({ errs }) => !errs.some((e) => e.path.length === 0 && (e.code === "invalid_type" || e.code === "unrecognized_keys")))
    .sort((a, b) => a.errs.length - b.errs.length);
  return fits.length ? branch(fits[0]!.k) : [{ path: here, reason: "does not match any allowed form" }];
}

/** One zod issue (at `base` inside `input`) as scenario issues. */
export function convert(issue: ZodIssue, input: unknown, base: Path = []): ScenarioIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) return resolveUnion(issue, input, path);
  if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) {
    // A discriminated union (latency `dist`) whose tag matched nothing.
    const got = at(input, path);
    const allowed = issue.options.map((o) => JSON.stringify(o)).join(", ");
    return [{ path: formatPath(path), reason: got === undefined ? `required field is missing (one of ${allowed})` : `expected one of ${allowed}, got ${JSON.stringify(got)}` }];
  }
  if (issue.code === "unrecognized_keys" && isStepPath(path)) {
    const value = at(input, path);
    const misfit = isObject(value) ? stepMisfit(value, path) : undefined;
    if (misfit) return misfit;
  }
  if (issue.code === "unrecognized_keys") return issue.keys.map((k) => ({ path: formatPath([...path, k]), reason: unknownKeyReason(k) }));
  const message = issue.message.replace(/^Invalid input: /, "");
  if (issue.code === "invalid_type" && at(input, path) === undefined && path.length > 0) {
    return [{ path: formatPath(path), reason: `required field is missing (${message.replace(/, received undefined$/, "")})` }];
  }
  return [{ path: formatPath(path), reason: message }];
}

/** All issues of a failed parse, unknown keys first: a misspelt key explains the "missing" one. */
export function convertAll(issues: readonly ZodIssue[], input: unknown): ScenarioIssue[] {
  const out = issues.flatMap((i) => convert(i, input));
  const typo = (i: ScenarioIssue) => (i.reason.startsWith("unknown key") ? 0 : 1);
  return out
    .map((i, k) => ({ i, k }))
    .sort((a, b) => typo(a.i) - typo(b.i) || a.k - b.k)
    .map(({ i }) => i);
}
