/**
 * The wrapper every plugin's contract object goes through once loaded (load-crdt.ts): each call
 * is marked in progress (call-slots.ts) so a supervisor can name a call that never returns, and
 * what `value()` returns is checked to be JSON — the simulator writes values into the trace and
 * compares them as canonical JSON, so `undefined`, NaN or a function would otherwise surface far
 * away, as an unwritable trace line, instead of as the plugin's mistake.
 * Builtins are not wrapped: they are ours, and pay nothing.
 */
import type { Crdt } from "../../core/contract.ts";
import { enter, leave, type Method } from "./call-slots.ts";

/** A plugin broke the contract; the message is one line starting with `plugin <path>`. */
export class PluginError extends Error {
  override name = "PluginError";
}

const CALLS = ["init", "update", "merge", "value", "clone", "prepare", "effect", "events"] as const;

export function guardPlugin(crdt: Crdt, shown: string): Crdt {
  const c = crdt as unknown as Record<string, unknown>;
  // Inherit from the plugin's object, so that whatever it has (a class's prototype, getters,
  // fields the engine does not know) reads as before; only the calls are overridden.
  const out = Object.create(crdt) as Record<string, unknown>;
  for (const name of CALLS) {
    const f = c[name];
    if (typeof f === "function") out[name] = tracked(name, f.bind(crdt), name === "value" ? valueChecker(shown) : undefined);
  }
  const codec = c.codec as Record<string, unknown> | undefined;
  if (codec && typeof codec === "object") {
    const wrapped = Object.create(codec) as Record<string, unknown>;
    for (const name of ["encode", "decode", "size"] as const) {
      const f = codec[name];
      if (typeof f === "function") wrapped[name] = tracked(`codec.${name}`, f.bind(codec));
    }
    out.codec = wrapped;
  }
  return out as unknown as Crdt;
}

// Which plugin method an exception came out of (the innermost one), so that the CLI can say
// "merge threw: …" rather than leave the user to guess whose error it is. Keyed by the error
// object: nothing is recorded for errors that did not pass through a plugin call.
const thrownBy = new WeakMap<object, Method>();

/**
 * The plugin method `e` was thrown from, if it came out of one, with the error it threw. The
 * engine wraps a CRDT's exception with where it was (`t=126 workload: b inc [1]: …`, the
 * original as `cause`), so the chain of causes is followed to the error the plugin threw.
 */
export function methodThatThrew(e: unknown): { method: Method; thrown: Error } | undefined {
  for (let at = e, depth = 0; typeof at === "object" && at !== null && depth < 8; at = (at as { cause?: unknown }).cause, depth++) {
    const method = thrownBy.get(at);
    if (method !== undefined) return { method, thrown: at as Error };
  }
  return undefined;
}

function tracked(method: Method, f: (...args: unknown[]) => unknown, check?: (v: unknown) => void): (...args: unknown[]) => unknown {
  return (...args) => {
    const outer = enter(method);
    try {
      const v = f(...args);
      check?.(v);
      return v;
    } catch (e) {
      if (typeof e === "object" && e !== null && !thrownBy.has(e) && !(e instanceof PluginError)) thrownBy.set(e, method);
      throw e;
    } finally {
      leave(outer);
    }
  };
}

const valueChecker = (shown: string) => (v: unknown) => {
  const problem = notJson(v, "", new Set());
  if (problem !== undefined) throw new PluginError(`plugin ${shown}: value() returned ${problem} (must be JSON-serialisable)`);
};

/**
 * What makes `v` not JSON, or undefined when it is. Unlike JSON.stringify it drops nothing
 * silently: an undefined field, a Map (which stringifies as {}) or a cycle is reported, with
 * where it is inside the value.
 */
export function notJson(v: unknown, at: string, ancestors: Set<object>): string | undefined {
  const where = at ? ` at ${at}` : "";
  if (v === null || typeof v === "string" || typeof v === "boolean") return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? undefined : `${v}${where}`;
  if (v === undefined) return `undefined${where}`;
  if (typeof v === "function") return `a function${where}`;
  if (typeof v !== "object") return `a ${typeof v}${where}`;
  if (ancestors.has(v)) return `a cycle${where}`;
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return `a ${proto?.constructor?.name ?? "non-plain"} object${where}`;
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = notJson(v[i], `${at}[${i}]`, ancestors);
        if (p !== undefined) return p;
      }
      return undefined;
    }
    for (const k of Object.keys(v)) {
      const p = notJson((v as Record<string, unknown>)[k], `${at}.${k}`, ancestors);
      if (p !== undefined) return p;
    }
    return undefined;
  } finally {
    ancestors.delete(v);
  }
}
