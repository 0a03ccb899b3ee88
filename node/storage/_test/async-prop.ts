/**
 * The async twin of core/_test/prop.ts (whose runner is synchronous): a failure prints the
 * seed, the shrink path and the command that replays it (FC_SEED / FC_PATH are read back).
 */
import fc from "fast-check";
import { expect } from "vitest";

export async function checkAsyncProperty<T>(property: fc.IAsyncProperty<T>, options: { numRuns?: number } = {}): Promise<void> {
  const params: fc.Parameters<T> = { numRuns: options.numRuns ?? 100 };
  if (process.env.FC_SEED !== undefined) params.seed = Number(process.env.FC_SEED);
  if (process.env.FC_PATH !== undefined) params.path = process.env.FC_PATH;
  const details = await fc.check(property, params);
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
