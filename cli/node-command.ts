/**
 * `memoconductor node`: runs one node until SIGINT/SIGTERM. Prints exactly one line on stdout,
 * `listening on ws://HOST:PORT`, once it serves; everything else (peers connecting, refusals,
 * malformed frames) goes to stderr, one line each.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import { CrdtOptionError, resolveBuiltin } from "../core/index.ts";
import { openNode, StoreOpenError } from "../node/index.ts";
import { SqlSchema } from "../sql/index.ts";
import { EXIT, errorLine, type Io } from "./io.ts";

export type NodeCommandOptions = {
  data: string;
  port: number;
  host: string;
  peer: string[];
  schema?: string;
  sync: string;
  groupMs: number;
  sequencer: string[];
  /** Milliseconds between digest rounds with each peer (default 3000). */
  digestMs?: number;
  /** Testing only (cluster mode): a file holding the clock offset in ms, read at start and again on SIGUSR2. */
  testClockFile?: string;
  /** Testing only: the deliberate bug of acknowledging a write before its commit (see SyncPolicy). */
  testAckBeforeCommit?: boolean;
  testDropEvery?: number;
  /** Testing only: apply peers' transactions as their parts arrive (NodeOptions.testNoTxnHold). */
  testNoTxnHold?: boolean;
  testStartOnStdin?: boolean;
  redialMaxMs?: number;
  /** Testing only: objects per sync frame (LinkOptions.syncObjectsPerFrame). */
  testSyncObjectsPerFrame?: number;
};

const schemaFile = z.strictObject({ $schema: z.string().optional(), collections: z.record(z.string(), z.unknown()) });

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? errorLine(e)}`);
  }
}

/** A `--schema FILE.sql`: its CREATE TABLE statements, checked (a one-line error names the file and the statement's problem). */
export function readSqlSchema(file: string): string {
  const text = readText(file);
  try {
    SqlSchema.parse(text);
  } catch (e) {
    throw new Error(`${file}: ${errorLine(e)}`);
  }
  return text;
}

/** The `--schema` file's store options, validated (zod for the shape, the store type for the collections); a one-line error names the file and field. */
export function readSchema(file: string): { collections: Record<string, unknown> } {
  const text = readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON: ${errorLine(e)}`);
  }
  const parsed = schemaFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.map(String).join(".") || "(root)"}: ${issue.message} (expected a scenario's store options, { "collections": { … } })`);
  }
  try {
    resolveBuiltin({ type: "store", collections: parsed.data.collections });
  } catch (e) {
    if (e instanceof CrdtOptionError) throw new Error(`${file}: ${e.option}: ${e.reason}`);
    throw new Error(`${file}: ${errorLine(e)}`);
  }
  return { collections: parsed.data.collections };
}

/** The clock offset kept in `file` (an integer of ms): read now, and again at each SIGUSR2 (cluster mode's clock jumps). */
function clockFromFile(file: string): () => number {
  const read = (): number => {
    const text = readText(file).trim();
    if (!/^-?[0-9]+$/.test(text)) throw new Error(`${file}: expected an integer clock offset in ms, got "${text.slice(0, 40)}"`);
    return Number(text);
  };
  let offset = read();
  process.on("SIGUSR2", () => {
    try {
      offset = read();
    } catch (e) {
      process.stderr.write(`memoconductor node: clock offset kept at ${offset} ms: ${errorLine(e)}\n`);
    }
  });
  return () => offset;
}

/** Resolves with the exit code once the node has closed after a signal (or at once on bad input). */
export async function nodeCommand(o: NodeCommandOptions, io: Io): Promise<number> {
  if (o.sync !== "always" && o.sync !== "group") {
    io.err(`memoconductor node: --sync: expected always or group, got "${o.sync}"\n`);
    return EXIT.badInput;
  }
  let schema: { collections: Record<string, unknown> } | undefined;
  let sqlSchema: string | undefined;
  try {
    if (o.schema?.toLowerCase().endsWith(".sql")) sqlSchema = readSqlSchema(o.schema);
    else schema = o.schema === undefined ? undefined : readSchema(o.schema);
    mkdirSync(o.data, { recursive: true });
  } catch (e) {
    io.err(`memoconductor node: ${errorLine(e)}\n`);
    return EXIT.badInput;
  }
  let clock: (() => number) | undefined;
  try {
    clock = o.testClockFile === undefined ? undefined : clockFromFile(o.testClockFile);
  } catch (e) {
    io.err(`memoconductor node: ${errorLine(e)}\n`);
    return EXIT.badInput;
  }
  // Started ahead by `memoconductor cluster`: loaded, it waits for the word to open the directory.
  if (o.testStartOnStdin) {
    io.out("standby\n");
    await startSignal();
  }
  let node;
  try {
    node = await openNode({
      dir: o.data,
      port: o.port,
      host: o.host,
      peers: o.peer,
      ...(schema ? { schema } : {}),
      ...(sqlSchema !== undefined ? { sqlSchema } : {}),
      sync: o.sync === "always" ? { mode: "always" } : { mode: "group", maxWaitMs: o.groupMs, ...(o.testAckBeforeCommit ? { ackBeforeCommit: true } : {}) },
      sequencer: o.sequencer,
      ...(o.digestMs !== undefined ? { digestMs: o.digestMs } : {}),
      ...(o.testSyncObjectsPerFrame !== undefined ? { link: { syncObjectsPerFrame: Math.max(1, o.testSyncObjectsPerFrame) } } : {}),
      ...(clock ? { clockOffsetMs: clock } : {}),
      ...(o.testDropEvery ? { testDropEvery: o.testDropEvery } : {}),
      ...(o.testNoTxnHold ? { testNoTxnHold: true } : {}),
      ...(o.redialMaxMs !== undefined ? { backoff: { capMs: o.redialMaxMs, baseMs: Math.min(100, o.redialMaxMs) } } : {}),
      log: (line) => io.err(`${line}\n`),
    });
  } catch (e) {
    // A data directory that is not this node's to use (another schema or node id, not ours, damaged, new without a schema) is bad input; anything else (the port taken, no better-sqlite3) a failure to start.
    io.err(`memoconductor node: ${e instanceof StoreOpenError ? "" : "cannot start: "}${errorLine(e)}\n`);
    return e instanceof StoreOpenError ? EXIT.badInput : EXIT.failed;
  }
  io.out(`listening on ${node.url}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  io.err(`${signal}: closing\n`);
  await node.close();
  return EXIT.ok;
}

/** Resolves at the first line on stdin, or when stdin ends; then stops reading it. */
function startSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const go = () => {
      process.stdin.off("data", onData);
      process.stdin.pause();
      process.stdin.destroy();
      resolve();
    };
    const onData = (d: Buffer) => d.includes(10) && go();
    process.stdin.on("data", onData);
    process.stdin.once("end", go);
  });
}
