/**
 * Property runners for the test suites: wrap fast-check so that a failure prints the seed, the
 * shrink path and the exact command that replays it (FC_SEED / FC_PATH are read back here).
 * `checkProperty` for synchronous properties, `checkAsyncProperty` for ones that await (a
 * SQLite store, a socket).
 */
import fc from "fast-check";
import { expect } from "vitest";

export type PropOptions = { numRuns?: number };

export function checkProperty<T>(property: fc.IProperty<T>, options: PropOptions = {}): void {
  reportFailure(fc.check(property, paramsOf<T>(options)));
}

export async function checkAsyncProperty<T>(property: fc.IAsyncProperty<T>, options: PropOptions = {}): Promise<void> {
  reportFailure(await fc.check(property, paramsOf<T>(options)));
}

function paramsOf<T>(options: PropOptions): fc.Parameters<T> {
  const params: fc.Parameters<T> = { numRuns: options.numRuns ?? 100 };
  if (process.env.FC_SEED !== undefined) params.seed = Number(process.env.FC_SEED);
  if (process.env.FC_PATH !== undefined) params.path = process.env.FC_PATH;
  return params;
}

function reportFailure<T>(details: fc.RunDetails<T>): void {
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
