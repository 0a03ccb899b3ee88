/**
 * What explore runs against: a builtin by name, or a plugin module by path. Resolved the same
 * way a scenario's `crdt` is (core registry, or the loader's contract check), so explore accepts
 * exactly what a scenario file would, and worker threads can resolve it again by themselves.
 */
import { isAbsolute, relative, resolve } from "node:path";
import type { Crdt } from "../../core/contract.ts";
import { IssueError, resolveCrdt } from "../scenario/load-crdt.ts";
import type { CrdtSpec } from "../scenario/types.ts";

/** Serializable: sent to worker threads, which resolve it themselves. */
export type TargetRef = { builtin: string } | { module: string };
export type Target = { ref: TargetRef; crdt: Crdt };

/** Something that looks like a file is a module path (relative to `baseDir`); anything else a builtin name. */
export function targetRef(nameOrPath: string, baseDir = process.cwd()): TargetRef {
  if (!/[\\/]|\.[cm]?[jt]s$/.test(nameOrPath)) return { builtin: nameOrPath };
  return { module: isAbsolute(nameOrPath) ? nameOrPath : resolve(baseDir, nameOrPath) };
}

export class TargetError extends Error {
  override name = "TargetError";
}

export async function resolveTarget(ref: TargetRef): Promise<Target> {
  try {
    const spec: CrdtSpec = "builtin" in ref ? ref.builtin : { module: ref.module };
    const { crdt } = await resolveCrdt(spec, process.cwd());
    return { ref, crdt };
  } catch (e) {
    const what = "builtin" in ref ? ref.builtin : ref.module;
    const why = e instanceof IssueError ? e.issues[0]!.reason : e instanceof Error ? e.message : String(e);
    throw new TargetError("builtin" in ref ? why : `${what}: ${why.replace(/^cannot find plugin "[^"]*" \(looked at [^)]*\)$/, "no such module")}`);
  }
}

/** The `crdt` field of a scenario written to `dir`: the builtin's name, or the module relative to it. */
export function specFor(ref: TargetRef, dir?: string): CrdtSpec {
  if ("builtin" in ref) return ref.builtin;
  if (!dir) return { module: ref.module };
  const rel = relative(dir, ref.module);
  return { module: rel.startsWith(".") ? rel : `./${rel}` };
}
