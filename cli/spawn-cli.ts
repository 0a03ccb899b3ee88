/** Test helper: runs the CLI as a user would, as a bundle like the package bin, in a child process. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The `memoconductor` a spawned test runs: the bundle of the current sources that vitest's global
 * setup made (cli/_test/cli-bundle.ts, a third of the start-up of the sources through tsx), or,
 * outside vitest, the sources through tsx (cli/bin.js, what `npm start` runs).
 */
export const CLI_ENTRY = process.env.MEMOCONDUCTOR_TEST_CLI ?? join(ROOT, "cli/bin.js");

/** A child that runs longer than this is killed (its code is then null). */
const TIMEOUT_MS = 120_000;

export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs the CLI in a child process and waits for it without blocking this thread. Not spawnSync:
 * a test file's worker blocked in it cannot read vitest's answers, and on a loaded box a few
 * spawned CLIs in a row outlast the worker's fixed 60 s RPC timeout ("[vitest-worker]: Timeout
 * calling onTaskUpdate", reported although every test passed). Several can run at once.
 */
export function cli(args: string[], cwd = ROOT, stdin?: string): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" }, timeout: TIMEOUT_MS });
  // `stdin`: what is piped to the command (then closed); without it stdin stays open and unused.
  if (stdin !== undefined) child.stdin.end(stdin);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => void (stdout += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => void (stderr += t));
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}

/** `cli`, under the name the tests that run several at once use. */
export const cliAsync = cli;

/** The same CLI in-process (much faster): exit code and captured output. */
export async function cliInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import("./program.ts");
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}
