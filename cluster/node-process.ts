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
  /** A process started ahead, its modules loaded, waiting on stdin to open the data directory and listen. */
  private standby: { child: ChildProcess; exited: Promise<void>; ready: Promise<void> } | null = null;
  url: string | null = null;

  constructor(
    readonly name: string,
    private readonly spawnSpec: NodeSpawn,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private spawnChild(standby: boolean): { child: ChildProcess; exited: Promise<void> } {
    const [exe, ...pre] = this.spawnSpec.command;
    const args = [...pre, "node", ...this.spawnSpec.args, "--port", "0", ...(standby ? ["--test-start-on-stdin"] : [])];
    const child = spawn(exe!, args, { stdio: [standby ? "pipe" : "ignore", "pipe", "pipe"], env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" } });
    const log = this.spawnSpec.logFile;
    child.stderr!.setEncoding("utf8").on("data", (t: string) => appendFileSync(log, t));
    child.stdin?.on("error", () => {}); // a standby that died: its start reports it
    return { child, exited: new Promise((resolve) => child.on("close", () => resolve())) };
  }

  /**
   * Starts the next process now, up to the point where it would open its data directory: a
   * process takes seconds to load on a busy machine, and a restart should take the time the
   * schedule gives it, not that. `start()` then only opens the store and listens.
   */
  prepare(): Promise<void> {
    if (this.spawnSpec.command[0] === undefined) return Promise.resolve();
    if (this.standby) return this.standby.ready;
    const s = this.spawnChild(true);
    const ready = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.spawnSpec.timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      let out = "";
      s.child.stdout!.setEncoding("utf8").on("data", (t: string) => {
        out += t;
        if (out.includes("standby\n")) done();
      });
      void s.exited.then(done);
    });
    this.standby = { ...s, ready };
    return ready;
  }

  /** Starts the process (the prepared one, if any, as soon as it is loaded); resolves with its URL once it printed `listening on`. */
  start(): Promise<string> {
    if (this.spawnSpec.command[0] === undefined) return Promise.reject(new Error("cluster: empty node command"));
    const s = this.standby ?? this.spawnChild(false);
    this.standby = null;
    s.child.stdin?.end("start\n");
    this.child = s.child;
    this.exited = s.exited;
    const log = this.spawnSpec.logFile;
    return awaitListening(s.child, s.exited, this.spawnSpec.timeoutMs, `node ${this.name}`, () => `see ${log}`).then((url) => (this.url = url));
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

  /** A clean stop (SIGCONT first, in case it is paused), SIGKILL after `graceMs`; a prepared process is killed (it holds nothing). */
  async stop(graceMs = 10_000): Promise<void> {
    const standby = this.standby;
    this.standby = null;
    if (standby) {
      standby.child.kill("SIGKILL");
      await standby.exited;
    }
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
