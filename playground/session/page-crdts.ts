/**
 * How the page resolves a scenario's CRDT: a builtin through the registry, as the CLI does; a
 * `{ "module": … }` plugin from the gallery plugins bundled into the page (it cannot import a
 * file from disk), by the path's last segment, checked and guarded as the loader does.
 */
import type { Crdt } from "../../core/contract.ts";
import naiveCounter from "../../scenarios/plugins/naive-counter.ts";
import { guardPlugin } from "../../sim/plugin/guard.ts";
import { IssueError, resolveBuiltinSpec, type ResolvedCrdt } from "../../sim/scenario/load-crdt.ts";
import { checkContract } from "../../sim/scenario/plugin-contract.ts";
import type { CrdtSpec } from "../../sim/scenario/types.ts";

/** Plugins the page carries, by file name: the gallery's teaching foils. */
export const PAGE_PLUGINS: Record<string, Crdt> = { "naive-counter.ts": naiveCounter as unknown as Crdt };

export function resolveInPage(spec: CrdtSpec): ResolvedCrdt {
  if (typeof spec === "object" && "module" in spec && typeof spec.module === "string") {
    const file = spec.module.split("/").pop() ?? "";
    const plugin = Object.hasOwn(PAGE_PLUGINS, file) ? PAGE_PLUGINS[file] : undefined;
    if (plugin === undefined)
      throw new IssueError([{ path: "crdt.module", reason: `the playground carries only the gallery's plugins (${Object.keys(PAGE_PLUGINS).join(", ")}), not "${spec.module}"` }]);
    return { crdt: guardPlugin(checkContract(plugin, spec.module), spec.module), builtin: false };
  }
  return resolveBuiltinSpec(spec as string | { type: string });
}
