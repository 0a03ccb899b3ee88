/**
 * Property runner for the test suites: wraps fast-check so that a failure prints the seed, the
 * shrink path and the exact command that replays it (FC_SEED / FC_PATH are read back here).
 */
import fc from "fast-check";
import { expect } from "vitest";

export type PropOptions = { numRuns?: number };

export function checkProperty<T>(property: fc.IProperty<T>, options: PropOptions = {}): void {
  const seedEnv = process.env.FC_SEED;
  const pathEnv = process.env.FC_PATH;
  const params: fc.Parameters<T> = { numRuns: options.numRuns ?? 100 };
  if (seedEnv !== undefined) params.seed = Number(seedEnv);
  if (pathEnv !== undefined) params.path = pathEnv;
  const details = fc.check(property, params);
  if (!details.failed) return;
  const file = expect.getState().testPath ?? "<test file>";
  const name = expect.getState().currentTestName ?? "";
  const replay =
    `FC_SEED=${details.seed}` +
    (details.counterexamplePath ? ` FC_PATH=${details.counterexamplePath}` : "") +
    ` npx vitest run ${file.replace(process.cwd() + "/", "")} -t ${JSON.stringify(name.split(" > ").pop())}`;
  const message = fc.defaultReportMessage(details) ?? "property failed";
  throw new Error(`${message}\n\nReplay with:\n  ${replay}\n`);
}
