/**
 * A plugin's default export checked against the CRDT contract (core/contract.ts): apart from
 * load-crdt.ts, which imports it only when it loads a plugin, because its op-alphabet check
 * validates with zod (the scenario schema), and a builtin's sweep need not load zod at all.
 */
import type { Crdt } from "../../core/contract.ts";
import { IssueError } from "./issue-error.ts";
import { convert } from "./load-issues.ts";
import { opSpecSchema } from "./schema.ts";

const fail = (path: string, reason: string): never => {
  throw new IssueError([{ path, reason }]);
};

const FUNCTIONS = { state: ["init", "update", "merge", "value"], op: ["init", "prepare", "effect", "value"] } as const;

/** Checks a plugin's default export against the CRDT contract (core/contract.ts). */
export function checkContract(x: unknown, shown: string): Crdt {
  const bad = (why: string): never => fail("crdt.module", `plugin "${shown}": ${why}`);
  if (x === null || typeof x !== "object") bad("the default export must be a CRDT object (see core/contract.ts), got " + (x === undefined ? "no default export" : typeof x));
  const c = x as Record<string, unknown>;
  if (c.kind !== "state" && c.kind !== "op") bad(`kind must be "state" or "op", got ${JSON.stringify(c.kind) ?? "nothing"}`);
  if (typeof c.name !== "string" || c.name === "") bad("name must be a non-empty string");
  if (!Array.isArray(c.ops)) bad("ops must be an array of { op, args?, weight? } (its op alphabet)");
  (c.ops as unknown[]).forEach((o, i) => {
    const r = opSpecSchema.safeParse(o);
    if (!r.success) {
      const first = r.error.issues.flatMap((issue) => convert(issue, o))[0]!;
      bad(`ops[${i}]${first.path ? "." + first.path : ""}: ${first.reason}`);
    }
  });
  const kind = c.kind as "state" | "op";
  for (const f of FUNCTIONS[kind]) {
    if (typeof c[f] !== "function") bad(`"${f}" must be a function (kind "${kind}" needs ${FUNCTIONS[kind].join(", ")})`);
  }
  if (c.clone !== undefined && typeof c.clone !== "function") bad('"clone" must be a function when present');
  const seq = c.sequence as Record<string, unknown> | undefined;
  if (seq !== undefined && (seq === null || typeof seq !== "object" || (seq.interleaves !== undefined && typeof seq.interleaves !== "string")))
    bad('"sequence" must be { interleaves?: string } when present (a list or text type: the sequence checks apply)');
  return x as Crdt;
}
