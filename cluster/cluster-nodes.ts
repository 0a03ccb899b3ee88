/**
 * The processes and links of a cluster run: one node process per scenario node over its own
 * data directory, a LinkProxy per pair of nodes (the later node in the scenario's list dials the
 * earlier one through it), and a client connection per running node. Tracks each node's state
 * so that an op meant for a node that is down or paused is never sent (the simulator skips it).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Client, connect } from "../node/index.ts";
import type { LinkFaults } from "./link-faults.ts";
import { LinkProxy } from "./link-proxy.ts";
import { NodeProcess } from "./node-process.ts";

export type NodeState = "up" | "down" | "starting" | "paused" | "killing";

export type ClusterNodesOptions = {
  names: readonly string[];
  workDir: string;
  command: readonly string[];
  /** Flags every node gets (after the cluster's own). */
  nodeArgs: readonly string[];
  /** The store's schema file (`--schema`). */
  schemaFile: string;
  digestMs: number;
  groupMs?: number;
  offsets: Record<string, number>;
  /** The sequences each node serves (`--sequencer`). */
  sequencers: Record<string, readonly string[]>;
  startTimeoutMs: number;
  /** Nodes the schedule crashes: each keeps a process started ahead for its next restart (node-process.ts). */
  restarted?: readonly string[];
};

export class ClusterNodes {
  readonly procs = new Map<string, NodeProcess>();
  readonly state = new Map<string, NodeState>();
  readonly clients = new Map<string, Client>();
  private proxies: LinkProxy[] = [];

  constructor(
    private readonly o: ClusterNodesOptions,
    private readonly faults: LinkFaults,
  ) {}

  private clockFile(name: string): string {
    return join(this.o.workDir, name, "clock-offset-ms");
  }

  /** Proxies first (their URLs are the nodes' --peer flags), then every node, in parallel. */
  async start(): Promise<void> {
    const names = this.o.names;
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) this.proxies.push(await LinkProxy.start(names[j]!, names[i]!, this.faults));
    for (const name of names) {
      const dir = join(this.o.workDir, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(this.clockFile(name), `${this.o.offsets[name] ?? 0}\n`);
      const peers = this.proxies.filter((p) => p.dialer === name).flatMap((p) => ["--peer", p.url]);
      const args = [
        "--data",
        join(dir, "data"),
        "--schema",
        this.o.schemaFile,
        "--digest-ms",
        String(this.o.digestMs),
        // A restarted peer is redialed within 250 ms (a node's default back-off reaches 5 s).
        "--redial-max-ms",
        "250",
        "--test-clock-file",
        this.clockFile(name),
        ...(this.o.groupMs !== undefined ? ["--group-ms", String(this.o.groupMs)] : []),
        ...peers,
        ...(this.o.sequencers[name] ?? []).flatMap((seq) => ["--sequencer", seq]),
        ...this.o.nodeArgs,
      ];
      this.procs.set(name, new NodeProcess(name, { command: this.o.command, args, logFile: join(dir, "node.log"), timeoutMs: this.o.startTimeoutMs }));
      this.state.set(name, "down");
    }
    await Promise.all(names.map((n) => this.restart(n)));
    // Before the run's clock starts: the processes that will serve the scheduled restarts.
    await Promise.all((this.o.restarted ?? []).map((n) => this.procs.get(n)?.prepare()));
  }

  /** Starts (or restarts from its data directory) a node that is down; resolves once it serves and has a client. */
  async restart(name: string): Promise<void> {
    const p = this.procs.get(name);
    if (!p || this.state.get(name) !== "down") return;
    this.state.set(name, "starting");
    const url = await p.start();
    for (const x of this.proxies) if (x.listener === name) x.target = url;
    this.clients.set(name, await connect(url, { timeoutMs: this.o.startTimeoutMs }));
    this.state.set(name, "up");
    if (this.o.restarted?.includes(name)) void p.prepare();
  }

  /** From now on no op is sent to it (its kill follows, in its node's order of faults). */
  markDown(name: string): void {
    if (this.state.get(name) === "up" || this.state.get(name) === "paused") this.state.set(name, "killing");
  }

  /** kill -9, and its client and the links to it gone (the dialers see the drop and redial). */
  async crash(name: string): Promise<void> {
    const p = this.procs.get(name);
    if (!p || this.state.get(name) === "down") return;
    this.state.set(name, "down");
    for (const x of this.proxies) if (x.listener === name) x.target = null;
    await p.kill9();
    void p.prepare(); // its restart then takes the time to open the store, not to load a process
    const c = this.clients.get(name);
    this.clients.delete(name);
    await c?.close().catch(() => {});
  }

  pause(name: string): void {
    if (this.state.get(name) !== "up") return;
    this.procs.get(name)?.signal("SIGSTOP");
    this.state.set(name, "paused");
  }

  resume(name: string): void {
    if (this.state.get(name) !== "paused") return;
    this.procs.get(name)?.signal("SIGCONT");
    this.state.set(name, "up");
  }

  /** The node's clock offset becomes `offset` ms: written to its clock file, read now (SIGUSR2) or at its next start. */
  setClock(name: string, offset: number): void {
    writeFileSync(this.clockFile(name), `${offset}\n`);
    if (this.state.get(name) === "up" || this.state.get(name) === "paused") this.procs.get(name)?.signal("SIGUSR2");
  }

  /** Stops every node (SIGTERM, SIGKILL after a grace period) and proxy. Never rejects. */
  async stop(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close().catch(() => {})));
    this.clients.clear();
    await Promise.all([...this.procs.values()].map((p) => p.stop().catch(() => {})));
    await Promise.all(this.proxies.map((p) => p.close().catch(() => {})));
  }
}
