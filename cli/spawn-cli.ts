/** Test helper: runs the CLI as a user would, through the package bin, in a child process. */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A child that runs longer than this is killed (its code is then null). */
const TIMEOUT_MS = 120_000;

export function cli(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "cli/bin.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" },
    timeout: TIMEOUT_MS,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like `cli`, without waiting: several can run at once. */
export function cliAsync(args: string[], cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, "cli/bin.js"), ...args], { cwd, env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" }, timeout: TIMEOUT_MS });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => void (stdout += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => void (stderr += t));
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}

/** The same CLI in-process (much faster): exit code and captured output. */
export async function cliInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import("./program.ts");
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}
