/** Test fixtures: a small correct plugin, and a scenario naming a variant of it. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A correct grow-only counter; each case replaces one part of it. */
export const COUNTER = `{
  kind: "state", name: "p", ops: [{ op: "inc", args: [1] }],
  init: () => ({}),
  update(s, op, ctx) { s[ctx.replica] = (s[ctx.replica] ?? 0) + 1; return { state: s, delta: { [ctx.replica]: s[ctx.replica] } }; },
  merge(a, b) { for (const [k, v] of Object.entries(b)) a[k] = Math.max(a[k] ?? 0, v); return a; },
  value: (s) => Object.values(s).reduce((x, y) => x + y, 0),
}`;

/** Writes plugin `name`.ts (prelude at import, overrides of the counter's methods) and a scenario naming it. */
export function pluginScenario(where: string, name: string, prelude: string, overrides = ""): string {
  writeFileSync(join(where, `${name}.ts`), `${prelude}\nconst base = ${COUNTER};\nexport default { ...base, ${overrides} };\n`);
  const scenario = { name, nodes: ["a", "b"], crdt: { module: `./${name}.ts` }, duration: 1000, workload: { from: 0, to: 500, ratePerNode: 10 } };
  const file = join(where, `${name}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}
