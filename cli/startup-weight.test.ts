/**
 * The commands a user types most (`--help`, `list`, `run`, `replay`) must start at once (the
 * package issue's goal: ≤ 3× `node -e ''`, measured by `npm run bench -- startup`). What keeps them
 * fast is what they do not load: this test follows each command module's static imports — the
 * modules Node loads before the command can run, as esbuild resolves them for the CLI bundle —
 * and fails when one reaches a heavy module that only some other command needs. Dynamic imports
 * are not followed: they load when, and only if, their command needs them.
 */
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

/** The heavy modules, and who needs them: none of the start-up commands does, for a scenario without SQL. */
const HEAVY: Array<[RegExp, string]> = [
  [/node_modules\/fast-check\//, "fast-check (explore and laws only)"],
  [/node_modules\/pgsql-ast-parser\//, "the SQL parser (loaded on first parse by sql/parse.ts)"],
  [/^sim\/index\.ts$/, "sim/index.ts (the whole library, explorer included; the CLI's light entry is sim/simulate.ts)"],
  [/^sim\/explore\//, "the explorer"],
  [/node_modules\/(better-sqlite3|ws)\//, "the node's SQLite and WebSocket"],
];

async function staticGraph(entry: string): Promise<Metafile["inputs"]> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "node",
    outdir: "unused",
    external: ["tsx", "tsx/*"],
    logLevel: "silent",
  });
  return r.metafile.inputs;
}

/** The chain of static imports from `entry` to the first module matching `heavy`, or null. */
function chainTo(inputs: Metafile["inputs"], entry: string, heavy: RegExp): string[] | null {
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (heavy.test(file)) {
      const chain: string[] = [];
      for (let at: string | null | undefined = file; at; at = parent.get(at)) chain.unshift(at);
      return chain;
    }
    for (const i of inputs[file]?.imports ?? []) {
      if (i.kind !== "import-statement" || parent.has(i.path)) continue;
      parent.set(i.path, file);
      queue.push(i.path);
    }
  }
  return null;
}

describe("start-up weight: what the everyday commands load before they run", () => {
  for (const entry of ["cli/main.ts", "cli/list.ts", "cli/run.ts", "cli/replay.ts"]) {
    it(`${entry} reaches none of the heavy modules through static imports`, async () => {
      const inputs = await staticGraph(entry);
      expect(Object.keys(inputs)).toContain(entry);
      const found = HEAVY.flatMap(([re, what]) => {
        const chain = chainTo(inputs, entry, re);
        return chain ? [`${what}: ${chain.join(" → ")}`] : [];
      });
      expect(found).toEqual([]);
    });
  }

  it("the walk finds a heavy module when one is reached (the check can fail)", async () => {
    const inputs = await staticGraph("sim/index.ts");
    expect(chainTo(inputs, "sim/index.ts", /node_modules\/fast-check\//)).not.toBeNull();
  });
});
