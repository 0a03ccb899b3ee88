/** `memoconductor list`: the builtin CRDTs (ops, options) and the bundled scenarios. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BuiltinCrdt, type BuiltinOpCrdt, CrdtOptionError, crdts, opCrdts } from "../core/index.ts";
import { shownPath } from "./format.ts";
import { EXIT, type ExitCode, type Io } from "./io.ts";
import { packageFile } from "./package-root.ts";

export const SCENARIOS_DIR = packageFile("scenarios/");

/** Scenario files of a directory, sorted (the schema file is not a scenario). */
export function scenarioFiles(dir = SCENARIOS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The option names a builtin takes. The registry does not describe options, so this asks the
 * builtin itself: configuring it with an option it cannot know makes it list the ones it knows.
 */
export function builtinOptions(b: BuiltinCrdt | BuiltinOpCrdt): string[] {
  try {
    b.configure({ "?": true });
  } catch (e) {
    const known = e instanceof CrdtOptionError ? /\(known: ([^)]*)\)/.exec(e.reason) : null;
    if (known) return known[1]!.split(", ");
  }
  return [];
}

/**
 * A bundled scenario's name and description, read from its JSON without validating the rest: the
 * files are the package's own, each validated by its tests (scenarios/scenarios.test.ts), and
 * `list` must start at once — the loader brings zod, and a scenario with SQL the SQL parser.
 * `memoconductor run FILE` validates a file in full.
 */
export function galleryEntry(file: string): { name: string; description: string } {
  const fallback = shownPath(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { name: fallback, description: `(unreadable: ${(e as Error).message})` };
  }
  const field = (key: string): string | undefined => {
    const v = typeof json === "object" && json !== null ? (json as Record<string, unknown>)[key] : undefined;
    return typeof v === "string" ? v : undefined;
  };
  return { name: field("name") ?? fallback, description: field("description") ?? "(no description)" };
}

export function listCommand(io: Io): ExitCode {
  io.out('Builtin CRDTs ("crdt": "<name>" or {"type": "<name>", ...options}):\n');
  // State-based builtins first, then the op-based ones (replicated by causal broadcast).
  const entries: Array<[string, BuiltinCrdt | BuiltinOpCrdt, string]> = [
    ...Object.entries(crdts).map(([n, b]): [string, BuiltinCrdt, string] => [n, b, ""]),
    ...Object.entries(opCrdts).map(([n, b]): [string, BuiltinOpCrdt, string] => [n, b, '   (op-based: sync mode "op")']),
  ];
  const w = Math.max(...entries.map(([n]) => n.length)) + 2;
  for (const [name, b, note] of entries) {
    const ops = [...new Set(b.ops.map((o) => o.op))].join(", ");
    const options = builtinOptions(b);
    io.out(`  ${name.padEnd(w)}ops: ${ops}${options.length ? `   options: ${options.join(", ")}` : ""}${note}\n`);
  }
  io.out(`\nScenarios (${shownPath(SCENARIOS_DIR)}):\n`);
  for (const file of scenarioFiles()) {
    const { name, description } = galleryEntry(file);
    io.out(`  ${name}\n      ${description}\n`);
  }
  return EXIT.ok;
}
