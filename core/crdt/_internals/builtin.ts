/** Helpers shared by the builtin types: option checking and argument validation. */
import type { BuiltinCrdt, CrdtOptions, StateCrdt } from "../../contract.ts";
import { CrdtOptionError, OpError } from "../../errors.ts";
import { didYouMean } from "../../util/did-you-mean.ts";
import { jsonProblem } from "../../util/json.ts";

/**
 * Makes a builtin from a factory of configured instances. `defaults` are the options of the
 * registry object; `check` validates one option value (returns a reason when it is bad).
 */
export function builtin<O extends CrdtOptions>(
  name: string,
  defaults: O,
  check: { [K in keyof O]: (value: unknown) => string | undefined },
  make: (options: O) => StateCrdt<any, unknown>,
): BuiltinCrdt {
  const configure = (options: CrdtOptions): StateCrdt<any, unknown> => {
    const merged: CrdtOptions = { ...defaults };
    for (const key of Object.keys(options)) {
      if (key === "type") continue;
      if (!Object.prototype.hasOwnProperty.call(check, key)) {
        const known = Object.keys(check);
        throw new CrdtOptionError(name, key, known.length ? `unknown option (${didYouMean(key, known)}known: ${known.join(", ")})` : "this type takes no options");
      }
      const reason = check[key as keyof O](options[key]);
      if (reason) throw new CrdtOptionError(name, key, reason);
      merged[key] = options[key];
    }
    return make(merged as O);
  };
  return Object.assign(make(defaults), { configure });
}

/** Throws an OpError unless `args` has exactly `n` entries. */
export function expectArity(crdt: string, op: string, args: unknown[], n: number): void {
  if (!Array.isArray(args)) throw new OpError(crdt, op, "args must be an array");
  if (args.length !== n) throw new OpError(crdt, op, `expects ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`);
}

/** A positive safe integer amount (counters): rejects 0, negatives, fractions and non-numbers. */
export function expectAmount(crdt: string, op: string, x: unknown): number {
  if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 1) throw new OpError(crdt, op, `amount must be a positive integer, got ${JSON.stringify(x)}`);
  return x;
}

/**
 * A replica's new counter total, refused (OpError naming the replica and the limit) when it
 * would pass 2^53 - 1: beyond that a count is no longer an exact integer, and no varint holds it.
 */
export function checkedTotal(crdt: string, op: string, replica: string, before: number, amount: number): number {
  const total = before + amount;
  if (!Number.isSafeInteger(total))
    throw new OpError(
      crdt,
      op,
      `replica "${replica}"'s total would reach ${before} + ${amount}, past ${Number.MAX_SAFE_INTEGER} (2^53 - 1, the largest count a counter holds exactly)`,
    );
  return total;
}

/** A JSON value (set elements, register values). */
export function expectJson(crdt: string, op: string, x: unknown): void {
  const problem = jsonProblem(x);
  if (problem) throw new OpError(crdt, op, `argument is not a JSON value (${problem})`);
}

export function unknownOp(crdt: string, op: string, known: string[]): never {
  throw new OpError(crdt, String(op), `unknown op (${didYouMean(String(op), known)}this type takes: ${known.join(", ")})`);
}
