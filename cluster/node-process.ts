/**
 * One scenario node as a `memoconductor node` process on loopback: started (and restarted) over
 * its own data directory, killed with SIGKILL, paused with SIGSTOP and resumed with SIGCONT.
 * Every wait is bounded; `stop` always ends the process (SIGTERM, then SIGKILL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { awaitListening } from "./await-listening.ts";

export type NodeSpawn = {
  /** The node command without its arguments: e.g. [process.execPath, "…/cli/bin.js"]. */
  command: readonly string[];
  /** `node` and its flags: --data, --peer, … (the port is always 0). */
  args: readonly string[];
  /** Where the process's stderr lines go (appended across restarts). */
  logFile: string;
  timeoutMs: number;
};

export class NodeProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  url: string | null = null;

  constructor(
    readonly name: string,
    private readonly spawnSpec: NodeSpawn,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process; resolves with its URL once it printed `listening on`. */
  start(): Promise<string> {
    const [exe, ...pre] = this.spawnSpec.command;
    if (exe === undefined) return Promise.reject(new Error("cluster: empty node command"));
    const child = spawn(exe, [...pre, "node", ...this.spawnSpec.args, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" } });
    this.child = child;
    const log = this.spawnSpec.logFile;
    child.stderr!.setEncoding("utf8").on("data", (t: string) => appendFileSync(log, t));
    this.exited = new Promise((resolve) => child.on("close", () => resolve()));
    return awaitListening(child, this.exited, this.spawnSpec.timeoutMs, `node ${this.name}`, () => `see ${log}`).then((url) => (this.url = url));
  }

  /** kill -9: no chance to flush or close anything. Resolves once the process is gone. */
  async kill9(): Promise<void> {
    this.url = null;
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  signal(sig: "SIGSTOP" | "SIGCONT" | "SIGUSR2"): void {
    this.child?.kill(sig);
  }

  /** A clean stop (SIGCONT first, in case it is paused), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGCONT");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.url = null;
  }
}
