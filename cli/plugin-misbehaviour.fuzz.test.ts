/**
 * The "misbehaving plugins" class of the loader fuzz (issue 16): a random misbehaviour — loop
 * forever, process.exit, leave a rejected promise, throw from a timer, throw, never finish a
 * top-level await, return a non-JSON value — at a random place (at import, or in init, update,
 * merge, value). Whatever it is, running the scenario gives one line naming the plugin as the
 * scenario wrote it (and where it was, when that is knowable), never a hang, a stack, a silent
 * pass or the wrong culprit. Runs in-process through the same path as `run` (runScenarioFile),
 * which starts the supervised worker; cli/plugin-sandbox.test.ts spawns the real CLI per class.
 */
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../sim/index.ts";
import { COUNTER } from "./_test/misbehaving-plugin.ts";
import { RunFailure, runScenarioFile } from "./run-scenario.ts";

const dir = mkdtempSync(join(tmpdir(), "mc-plugin-fuzz-"));
writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');

type Where = "import" | "init" | "update" | "merge" | "value";
type Case = { where: Where; code: string; expect: (where: Where) => RegExp };

const at = (w: Where) => (w === "import" ? "while loading" : `in ${w}`);
const ANYWHERE: Case[] = [
  { where: "import", code: "for (;;) {}", expect: (w) => (w === "import" ? /did not finish loading within 1 s/ : new RegExp(`: ${w} did not return within 1 s`)) },
  { where: "import", code: "process.exit(7);", expect: (w) => new RegExp(` ended the process \\(process\\.exit\\(7\\)\\) ${at(w)}$`) },
  { where: "import", code: 'Promise.reject(new Error("stray"));', expect: (w) => new RegExp(`: unhandled promise rejection ${at(w)}: stray$`) },
  { where: "import", code: 'setTimeout(() => { throw new Error("late"); }, 0);', expect: () => /: threw from a timer or callback it scheduled: late$/ },
  {
    where: "import",
    code: 'throw new Error("plain");',
    expect: (w) =>
      w === "import"
        ? /failed to load: plain$/
        : w === "init"
          ? /init\("a"\) threw: plain$/
          : new RegExp(`run failed \\(seed 1\\): plugin \\./fz-\\d+\\.ts: ${w} threw( at t=\\d+ [^:]+: [^:]+)?: plain$`),
  },
];
const IMPORT_ONLY = ["await new Promise(() => {});"];
const NOT_JSON: [string, string][] = [
  ["undefined", "undefined"],
  ["NaN", "NaN"],
  ["-Infinity", "-Infinity"],
  ["() => 1", "a function"],
  ["1n", "a bigint"],
  ["new Map([[1, 2]])", "a Map object"],
  ["[1, { x: undefined }]", "undefined at \\[1\\]\\.x"],
];

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  fc.tuple(fc.constantFrom(...ANYWHERE), fc.constantFrom<Where>("import", "init", "update", "merge", "value")).map(([c, where]) => ({ ...c, where })),
  fc.constantFrom(...IMPORT_ONLY).map((code): Case => ({ where: "import", code, expect: () => /never finished loading \(its top-level await never settled\)$/ })),
  fc
    .constantFrom(...NOT_JSON)
    .map(([v, shown]): Case => ({ where: "value", code: `return ${v};`, expect: () => new RegExp(`: value\\(\\) returned ${shown} \\(must be JSON-serialisable\\)$`) })),
);

let n = 0;
function write(c: Case): { file: string; name: string } {
  const name = `fz-${++n}`;
  const prelude = c.where === "import" ? c.code : "";
  const override = c.where === "import" ? "" : `${c.where}(...args) { ${c.code} return base.${c.where}(...args); }`;
  writeFileSync(join(dir, `${name}.ts`), `${prelude}\nconst base = ${COUNTER};\nexport default { ...base, ${override} };\n`);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, nodes: ["a", "b"], crdt: { module: `./${name}.ts` }, duration: 1000, workload: { from: 0, to: 500, ratePerNode: 10 } }));
  return { file, name };
}

describe("misbehaving plugins (fuzz)", () => {
  it("each misbehaviour, wherever it is, is one line naming the plugin and what it did", async () => {
    const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED);
    const property = fc.asyncProperty(caseArb, async (c) => {
      const { file, name } = write(c);
      let message = "(it ran to the end)";
      try {
        await runScenarioFile(file, { trace: false, pluginTimeoutS: 1 });
      } catch (e) {
        if (!(e instanceof RunFailure || e instanceof ScenarioError)) throw e;
        message = e.message;
      }
      expect(message).not.toContain("\n");
      // Named by its path as written; an init that throws at load is named at crdt.module by its contract name ("p").
      expect(message).toMatch(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: (crdt\\.module: p: init|(crdt\\.module: |run failed \\(seed 1\\): )?plugin "?\\./${name}\\.ts)`),
      );
      expect(message).toMatch(c.expect(c.where));
    });
    const details = await fc.check(property, { numRuns: 14, seed });
    if (details.failed) {
      const replay = `FC_SEED=${details.seed} npx vitest run cli/plugin-misbehaviour.fuzz.test.ts`;
      throw new Error(`${fc.defaultReportMessage(details) ?? "property failed"}\n\nReplay with:\n  ${replay}\n`);
    }
  });
});
