/**
 * Resolves a scenario's `crdt` to a contract object and checks the scenario's ops against it.
 * Builtins come from core's registry (options validated by the builtin, reported at
 * `crdt.<option>`); plugins are imported from a path relative to the scenario file and their
 * default export is checked against the contract before the engine ever calls it, so a broken
 * plugin is one clear line, not a stack trace from deep inside a run.
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Crdt } from "../../core/contract.ts";
import { CrdtOptionError, OpError } from "../../core/errors.ts";
import { resolveAnyBuiltin, UnknownCrdtError } from "../../core/registry.ts";
import { didYouMean } from "../../core/util/did-you-mean.ts";
import type { CrdtSpec, Scenario } from "./types.ts";
import { oneLine, type ScenarioIssue } from "./load-errors.ts";
import { sampleArg } from "./load-semantics.ts";
import { enter, leave } from "../plugin/call-slots.ts";
import { guardPlugin } from "../plugin/guard.ts";
import { detachedCtx } from "../plugin/plugin-ctx.ts";
import { pluginFileProblem } from "../plugin/plugin-file.ts";
import { prepareToImport } from "../plugin/typescript-loader.ts";

import { IssueError } from "./issue-error.ts";

export { IssueError };

const fail = (path: string, reason: string): never => {
  throw new IssueError([{ path, reason }]);
};
const messageOf = (e: unknown): string => {
  const text = oneLine(e instanceof Error ? e.message : String(e));
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
};

export type ResolvedCrdt = { crdt: Crdt; builtin: boolean; modulePath?: string };

/** The absolute path a `{ module }` spec points at, relative to the scenario's directory. */
export function modulePathOf(spec: CrdtSpec, baseDir: string): string | undefined {
  return typeof spec === "object" && "module" in spec && typeof spec.module === "string" ? (isAbsolute(spec.module) ? spec.module : resolve(baseDir, spec.module)) : undefined;
}

/** A builtin spec (a name or `{ type, ...options }`) to its contract object; synchronous. */
export function resolveBuiltinSpec(spec: string | { type: string }): ResolvedCrdt {
  try {
    return { crdt: resolveAnyBuiltin(spec), builtin: true };
  } catch (e) {
    if (e instanceof UnknownCrdtError) return fail(typeof spec === "string" ? "crdt" : "crdt.type", e.message);
    if (e instanceof CrdtOptionError) return fail(`crdt.${e.option}`, e.reason);
    return fail("crdt", messageOf(e));
  }
}

export async function resolveCrdt(spec: CrdtSpec, baseDir: string): Promise<ResolvedCrdt> {
  const modulePath = modulePathOf(spec, baseDir);
  if (modulePath === undefined) return resolveBuiltinSpec(spec as string | { type: string });
  const shown = (spec as { module: string }).module;
  if (!existsSync(modulePath)) return fail("crdt.module", `cannot find plugin "${shown}" (looked at ${modulePath})`);
  const problem = pluginFileProblem(modulePath);
  if (problem) return fail("crdt.module", `plugin "${shown}": ${problem}`);
  let mod: Record<string, unknown>;
  // Marked as a call in progress: a supervisor (cli/sandbox) names a plugin whose import hangs.
  const outer = enter("loading");
  try {
    await prepareToImport(modulePath);
    mod = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (e) {
    return fail("crdt.module", `plugin "${shown}" failed to load: ${messageOf(e)}`);
  } finally {
    leave(outer);
  }
  // Imported here, not above: it validates with zod, whose load (~0.15 s of CPU) an explore
  // worker judging a builtin would otherwise pay at every start (sim/explore/worker-entry.ts).
  const { checkContract } = await import("./plugin-contract.ts");
  return { crdt: guardPlugin(checkContract(mod.default, shown), shown), builtin: false, modulePath };
}

/** Every op a scenario issues, with its path, checked against the CRDT's alphabet and (builtins) a dry run. */
export function opIssues(s: Scenario, resolved: ResolvedCrdt): ScenarioIssue[] {
  const { crdt, builtin } = resolved;
  const issues: ScenarioIssue[] = [];
  const alphabet = crdt.ops.map((o) => o.op);
  const mode = s.sync?.mode;
  if (crdt.kind === "op" && mode !== undefined && mode !== "op")
    issues.push({ path: "sync.mode", reason: `${crdt.name} is op-based (kind "op"): it replicates through op mode only, got "${mode}"` });
  const opMode = crdt.kind === "op" || mode === "op";
  for (const key of ["dedup", "causal"] as const)
    if (s.sync?.[key] !== undefined && !opMode) issues.push({ path: `sync.${key}`, reason: `applies to op mode only (sync.mode "op" or an op-based CRDT)` });
  if (s.sync?.antiEntropy !== undefined && opMode)
    issues.push({ path: "sync.antiEntropy", reason: `applies to delta and state modes only (op mode's causal layer always exchanges digests)` });
  try {
    crdt.init(s.nodes[0]!, detachedCtx("load", s.nodes[0]!));
  } catch (e) {
    return [{ path: builtin ? "crdt" : "crdt.module", reason: `${crdt.name}: init("${s.nodes[0]}") threw: ${messageOf(e)}` }];
  }
  // A dry run's verdict depends only on (node, op, args): a file of a million steps repeats a few.
  const verdicts = new Map<string, string | undefined>();
  const check = (path: string, node: string, op: string, args: unknown[]) => {
    if (!alphabet.includes(op)) {
      issues.push({ path: `${path}.op`, reason: `unknown op "${op}" for ${crdt.name} (${didYouMean(op, alphabet)}ops: ${alphabet.join(", ") || "none"})` });
      return;
    }
    // Dry run on a fresh replica: catches wrong arity or argument types before the run starts.
    // Only for builtins, whose update is known to be pure and to signal bad input with OpError.
    if (!builtin) return;
    const key = `${node}\u0000${op}\u0000${JSON.stringify(args)}`;
    let problem = verdicts.get(key);
    if (!verdicts.has(key)) {
      try {
        const ctx = detachedCtx("load", node);
        if (crdt.kind === "state") crdt.update(crdt.init(node, ctx), { op, args }, ctx);
        else crdt.prepare(crdt.init(node, ctx), { op, args }, ctx);
      } catch (e) {
        problem = e instanceof OpError ? `op "${op}": ${e.reason}` : messageOf(e);
      }
      verdicts.set(key, problem);
    }
    if (problem !== undefined) issues.push({ path: `${path}.args`, reason: problem });
  };
  const steps = s.steps ?? [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if ("op" in step) check(`steps[${i}]`, step.node, step.op, step.args ?? []);
  }
  s.workload?.ops?.forEach((o, i) => check(`workload.ops[${i}]`, s.nodes[0]!, o.op, (o.args ?? []).map(sampleArg)));
  return issues;
}
