/**
 * Test helper: `memoconductor node` as a child process on loopback. `start` resolves once the
 * node printed its `listening on` line (bounded wait, naming what it waited for); `stop` sends
 * SIGTERM and resolves with the exit code. Every started node is tracked so a test's afterEach
 * can stop whatever is left (`stopAll`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { awaitListening } from "../../cluster/index.ts";
import { CLI_ENTRY } from "../spawn-cli.ts";

export type NodeProcess = { url: string; port: number; child: ChildProcess; stderr: () => string; stop(signal?: NodeJS.Signals): Promise<number | null> };

const running = new Set<NodeProcess>();

export function startNode(args: string[], cwd: string, timeoutMs = 60_000): Promise<NodeProcess> {
  const child = spawn(process.execPath, [CLI_ENTRY, "node", ...args], { cwd, env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" } });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (t: string) => void (stderr += t));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const label = `memoconductor node ${args.join(" ")}`;
  return awaitListening(child, exited, timeoutMs, label, () => `stderr: ${stderr}`).then((url) => {
    const node: NodeProcess = {
      url,
      port: Number(new URL(url).port),
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
    return node;
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((n) => n.stop()));
}
