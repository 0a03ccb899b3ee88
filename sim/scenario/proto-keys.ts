/**
 * zod leaves a "__proto__" key out of the records (and loose objects) it parses — silently, so
 * that assigning it to a plain object cannot replace that object's prototype. To a scenario it
 * is a name like any other: the clock of a node called "__proto__", a RAMP key, a CRDT option
 * (which the CRDT then rejects by name). After a successful parse this puts each such key back
 * where the file had it, as an own property, once its value passes the record's value schema.
 */
import { z } from "zod";
import type { ScenarioIssue } from "./load-errors.ts";
import { convert } from "./load-issues.ts";
import { scenarioSchema, stepSchemas } from "./schema.ts";
import type { Scenario } from "./types.ts";

const KEY = "__proto__";
type Obj = Record<string, unknown>;
type Path = (string | number)[];

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const define = (o: Obj, k: string, value: unknown) => Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

const shape = scenarioSchema.shape;
const CLOCK = shape.clocks.unwrap().valueType;
const SHARD = shape.services.unwrap().shape.ramp.unwrap().shape.keys.unwrap().valueType;
const WRITE_VALUE = stepSchemas[13].shape.txn.shape.write.unwrap().valueType;
const CHECK = shape.expect.unwrap().shape.checks.unwrap().valueType;

/**
 * Puts `input[path]`'s "__proto__" entry back into `parent[prop]` (the parsed record), keeping
 * the file's key order. Returns the issues of an invalid value (the record is left as parsed).
 */
function restore(input: unknown, path: Path, parent: unknown, prop: string | number, value: z.ZodType): ScenarioIssue[] {
  let raw: unknown = input;
  for (const seg of path) raw = isObj(raw) || Array.isArray(raw) ? (raw as Obj)[seg as string] : undefined;
  const parsed = isObj(parent) || Array.isArray(parent) ? (parent as Obj)[prop as string] : undefined;
  if (!isObj(raw) || !isObj(parsed) || !Object.hasOwn(raw, KEY) || Object.hasOwn(parsed, KEY)) return [];
  const r = value.safeParse(raw[KEY]);
  if (!r.success) return r.error.issues.flatMap((i) => convert(i, input, [...path, KEY]));
  const out: Obj = {};
  for (const k of Object.keys(raw)) if (k === KEY || Object.hasOwn(parsed, k)) define(out, k, k === KEY ? r.data : parsed[k]);
  (parent as Obj)[prop as string] = out;
  return [];
}

/** Restores every "__proto__" key zod dropped from `scenario` (parsed from `input`); returns the issues of invalid ones. */
export function restoreProtoKeys(input: unknown, scenario: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const s = scenario as unknown as Obj;
  issues.push(...restore(input, ["clocks"], s, "clocks", CLOCK));
  // A builtin's options: any value here; the builtin itself rejects "__proto__" as an unknown option.
  issues.push(...restore(input, ["crdt"], s, "crdt", z.unknown()));
  const ramp = scenario.services?.ramp;
  if (ramp) issues.push(...restore(input, ["services", "ramp", "keys"], ramp, "keys", SHARD));
  scenario.steps?.forEach((step, i) => {
    if ("txn" in step) issues.push(...restore(input, ["steps", i, "txn", "write"], step.txn, "write", WRITE_VALUE));
  });
  if (scenario.expect) issues.push(...restore(input, ["expect", "checks"], scenario.expect, "checks", CHECK));
  return issues;
}
