/**
 * Test helper: `memoconductor node` as a child process on loopback. `start` resolves once the
 * node printed its `listening on` line (bounded wait, naming what it waited for); `stop` sends
 * SIGTERM and resolves with the exit code. Every started node is tracked so a test's afterEach
 * can stop whatever is left (`stopAll`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { CLI_ENTRY } from "../spawn-cli.ts";

export type NodeProcess = { url: string; port: number; child: ChildProcess; stderr: () => string; stop(signal?: NodeJS.Signals): Promise<number | null> };

const running = new Set<NodeProcess>();

export function startNode(args: string[], cwd: string, timeoutMs = 60_000): Promise<NodeProcess> {
  const child = spawn(process.execPath, [CLI_ENTRY, "node", ...args], { cwd, env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" } });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (t: string) => void (stderr += t));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "listening on" from memoconductor node ${args.join(" ")}; stderr: ${stderr}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`memoconductor node ${args.join(" ")} exited ${code} before listening; stdout: ${stdout} stderr: ${stderr}`));
    });
    child.stdout.setEncoding("utf8").on("data", (t: string) => {
      stdout += t;
      const m = /^listening on (ws:\/\/127\.0\.0\.1:(\d+))\n/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      const node: NodeProcess = {
        url: m[1]!,
        port: Number(m[2]),
        child,
        stderr: () => stderr,
        stop: async (signal = "SIGTERM") => {
          running.delete(node);
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          const stopTimer = setTimeout(() => child.kill("SIGKILL"), 20_000);
          const code = await exited;
          clearTimeout(stopTimer);
          return code;
        },
      };
      running.add(node);
      resolve(node);
    });
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((n) => n.stop()));
}
