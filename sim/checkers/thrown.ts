/**
 * A crash inside a check, named. When a checker's own replay makes the CRDT throw (a merge that
 * throws on inputs in another order, or on a message applied twice), that is the property
 * failing, and the check says so; when a checker itself throws, the run still ends with every
 * other verdict, and that check fails naming itself — never an anonymous "exception" that costs
 * the run its table and its run directory. A plugin breaking the contract (PluginError) is bad
 * input, not a verdict, and goes on up.
 */
import { PluginError } from "../plugin/guard.ts";
import { thrownShape } from "./signature.ts";
import { failedCheck, type CheckResult } from "../run-types.ts";

/** What was thrown, as one line. Rethrows a PluginError. */
export function thrownText(e: unknown): string {
  if (e instanceof PluginError) throw e;
  if (!(e instanceof Error)) return String(e);
  return e.name && e.name !== "Error" ? `${e.name}: ${e.message}` : e.message;
}

/** `check()`, or, if it throws, check `name` failed by its checker's crash. */
export function guardedCheck(name: string, expected: boolean, check: () => CheckResult): CheckResult {
  try {
    return check();
  } catch (e) {
    const text = thrownText(e);
    return failedCheck(name, expected, `the ${name} checker crashed: ${text}`, undefined, `checker crashed: ${thrownShape(text)}`);
  }
}
