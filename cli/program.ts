/**
 * The command table (commander) and the exit-code policy. Commander's own failures (unknown
 * option, missing argument, bad --seed) are caught through exitOverride and reported as one
 * line with exit 2, like every other bad input; --help and --version exit 0.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { EXIT, errorLine, processIo, type Io } from "./io.ts";
import { packageFile } from "./package-root.ts";
import { DEFAULT_PLUGIN_TIMEOUT_S } from "./sandbox/defaults.ts";

// Each command's module is imported when that command runs, not before: `--help` or `list`
// must not pay for loading the simulator, the views (d3), fast-check or the explorer.
const commands = {
  run: () => import("./run.ts"),
  replay: () => import("./replay.ts"),
  viz: () => import("./viz.ts"),
  sandbox: () => import("./sandbox/commands.ts"),
  list: () => import("./list.ts"),
  start: () => import("./start.ts"),
  node: () => import("./node-command.ts"),
  cluster: () => import("./cluster-command.ts"),
  export: () => import("./export-command.ts"),
  client: () => import("./client-command.ts"),
  sql: () => import("./sql-command.ts"),
};

const VERSION = (JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string }).version;

function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^-?[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${text}"`);
  return n;
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  return n;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || n > 65535) throw new InvalidArgumentError(`expected a port number (0 to 65535; 0 picks a free one), got "${text}"`);
  return n;
}

/** A repeatable option: each use adds one value. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function parseSeconds(text: string): number {
  const n = Number(text);
  if (!/^[0-9]*\.?[0-9]+$/.test(text.trim()) || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got "${text}"`);
  return n;
}

/** Every command that may run a user's plugin takes the same per-call budget. */
const PLUGIN_TIMEOUT = ["--plugin-timeout <seconds>", `seconds one plugin call (or its import) may compute before it is stopped (default: ${DEFAULT_PLUGIN_TIMEOUT_S})`] as const;

const BAD_INPUT = "bad input: an unreadable or invalid file, an unknown CRDT, a plugin that breaks, a bad flag (one `<file>: <field path>: <reason>` line per problem on stderr)";

/** `text` wrapped at `width` columns, continuation lines indented by `indent`. */
function wrap(text: string, indent: string, width = 92): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent.length + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line].join(`\n${indent}`);
}

/**
 * The end of every command's --help: what its exit codes mean (`[code, meaning]`) and one
 * example that runs as pasted from the repository's root (cli/help.test.ts runs each one).
 */
export function helpFooter(exit: readonly (readonly [number, string])[], example: string, note = ""): string {
  return ["", "Exit codes:", ...exit.map(([code, text]) => `  ${code}  ${wrap(text, "     ")}`), "", `Example (from the repository's root${note}):`, `  $ ${example}`].join("\n");
}

/** The examples of the --help pages, in an order that works when pasted one after the other. */
export const HELP_EXAMPLES = {
  run: "npx memoconductor run scenarios/or-set-add-wins.json",
  replay: "npx memoconductor replay reports/or-set-add-wins/11",
  viz: "npx memoconductor viz reports/or-set-add-wins/11 -o or-set-add-wins.html",
  explore: "npx memoconductor explore --crdt or-set --runs 50",
  laws: "npx memoconductor laws or-set --runs 50",
  list: "npx memoconductor list",
  start: "npx memoconductor start",
  node: "npx memoconductor node --data node-a --port 0",
  cluster: "npx memoconductor cluster scenarios/or-set-add-wins.json",
  export: "npx memoconductor export reports/or-set-add-wins/11 --format elle",
  client: "npx memoconductor client ws://127.0.0.1:7401 get customers A",
  sql: `npx memoconductor sql ws://127.0.0.1:7401 "SELECT id, phone FROM customers WHERE CONFLICTED(phone)"`,
} as const;

function build(io: Io, setCode: (code: number) => void): Command {
  const program = new Command("memoconductor")
    .description("Deterministic simulation and verification of CRDTs (see README.md)")
    .version(VERSION)
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "every expectation met"],
          [1, "a check came out other than expected"],
          [2, BAD_INPUT],
        ],
        HELP_EXAMPLES.start,
      ) + "\n\nEach command's own --help shows its options, their defaults and an example.",
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} });

  program
    .command("run")
    .description("run scenarios; write reports/<scenario>/<seed>/ (summary.json, trace.jsonl, scenario.json)")
    .argument("<scenario.json...>", "scenario files")
    .option("--seed <n>", "seed, over the scenario's (default: the scenario's seed, else 1)", parseSeed)
    .option("--out <dir>", "root of the run directories", "reports")
    .option("--json", "print one summary JSON object per scenario per line, nothing else", false)
    .option("--no-trace", "keep only the summary; checks and traceHash are unchanged (default: trace.jsonl and the timeline are written)")
    .option("--timeline", "draw the timeline with the run however long it is (default: only up to 100000 events; past that `viz <run-dir>` draws it)")
    .option(...PLUGIN_TIMEOUT, parseSeconds)
    .option(
      "--max-events <n>",
      "refuse or stop a run past n simulator events; wins over the scenario's limits.events (default: 1000000 traced, 50000000 with --no-trace)",
      parseCount,
    )
    .option("--max-nodes <n>", "refuse a scenario of more than n nodes; wins over limits.nodes (default: 1000)", parseCount)
    .option("--max-file-mb <n>", "refuse a scenario file bigger than n MB (default: 64)", parseCount)
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "every expectation met"],
          [1, "a check or expect.value came out other than expected (the run directory is still written)"],
          [2, BAD_INPUT + "; a bad file does not stop the others, the exit code is the worst outcome"],
        ],
        HELP_EXAMPLES.run,
      ),
    )
    .action(
      async (
        files: string[],
        o: { seed?: number; out: string; json: boolean; trace: boolean; timeline?: boolean; pluginTimeout?: number; maxEvents?: number; maxNodes?: number; maxFileMb?: number },
      ) => {
        const limits = {
          ...(o.maxEvents !== undefined ? { events: o.maxEvents } : {}),
          ...(o.maxNodes !== undefined ? { nodes: o.maxNodes } : {}),
          ...(o.maxFileMb !== undefined ? { fileBytes: o.maxFileMb * 1024 * 1024 } : {}),
        };
        const { maxEvents: _e, maxNodes: _n, maxFileMb: _f, ...rest } = o;
        setCode(await (await commands.run()).runCommand(files, { ...rest, limits }, io));
      },
    );

  program
    .command("replay")
    .description("re-run a recorded run and prove it reproduces: the same traceHash, trace.jsonl line for line, and summary.json")
    .argument("<run-dir|trace.jsonl>")
    .addHelpText(
      "after",
      [
        "",
        "Compares the re-run with the recorded files: summary.json's traceHash, trace.jsonl's canonical lines",
        "(either format version; their sha256, then line by line: the first differing line, a file cut off",
        "mid-line, extra or missing lines) and the rest of summary.json. A run written with --no-trace is",
        "compared by hash and summary.",
      ].join("\n") +
        "\n" +
        helpFooter(
          [
            [0, "everything agrees"],
            [1, "the run does not reproduce as recorded (the engine now runs it differently, or a recorded file was edited or cut off)"],
            [2, "not a readable run directory (no scenario.json or summary.json, unreadable JSON, an invalid scenario, a run stopped before it finished)"],
          ],
          HELP_EXAMPLES.replay,
          ", after the `run` example",
        ),
    )
    .option(...PLUGIN_TIMEOUT, parseSeconds)
    .action(async (arg: string, o: { pluginTimeout?: number }) => setCode(await (await commands.replay()).replayCommand(arg, io, o)));

  program
    .command("viz")
    .description("(re)write the views of a run: timeline.html, timeline.svg, report.md, junit.xml")
    .argument("<run-dir|trace.jsonl>")
    .option("-o, --out <file.html>", "write only the interactive timeline, to this file (default: all four views, into the run directory)")
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "the views were written"],
          [2, "not a readable run directory or trace.jsonl, or a file that cannot be written"],
        ],
        HELP_EXAMPLES.viz,
        ", after the `run` example",
      ),
    )
    .action(async (arg: string, o: { out?: string }) => setCode(await (await commands.viz()).vizCommand(arg, o, io)));

  program
    .command("explore")
    .description("swarm-test a CRDT on random scenarios; shrink the first failure to reports/explore/<crdt>/<seed>.scenario.json")
    .requiredOption("--crdt <name|module>", "a builtin name or a plugin module path")
    .option("--runs <n>", "seeds in the sweep (default: 500)", parseCount)
    .option("--jobs <n>", "worker threads; the same verdicts for any value (default: 1)", parseCount)
    .option("--shard <i/n>", "run only this machine's part of the seeds, disjoint across shards (default: every seed)")
    .option("--seed <n>", "first seed (default: 1)", parseSeed)
    .option("--out <dir>", "root of the reports", "reports")
    .option("--json", "print one result object on stdout, nothing else", false)
    .option(...PLUGIN_TIMEOUT, parseSeconds)
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "every seed passed every check"],
          [1, "a seed failed a check (its shrunk scenario is written and the command replaying it printed)"],
          [2, BAD_INPUT],
        ],
        HELP_EXAMPLES.explore,
      ),
    )
    .action(async (o: { crdt: string; runs?: number; jobs?: number; shard?: string; seed?: number; out: string; json: boolean; pluginTimeout?: number }) => {
      setCode(await (await commands.sandbox()).exploreCli(o, io));
    });

  program
    .command("laws")
    .description("check the CRDT laws (merge commutative, associative, idempotent; deltas inflate; effects commute) on random histories")
    .argument("<name|module>", "a builtin name or a plugin module path")
    .option("--runs <n>", "random histories (default: 200)", parseCount)
    .option("--seed <n>", "fast-check seed (default: 1)", parseSeed)
    .option("--json", "print one result object on stdout, nothing else", false)
    .option(...PLUGIN_TIMEOUT, parseSeconds)
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "every law held"],
          [1, "a law failed (the smallest counterexample is printed)"],
          [2, BAD_INPUT],
        ],
        HELP_EXAMPLES.laws,
      ),
    )
    .action(async (arg: string, o: { runs?: number; seed?: number; json: boolean; pluginTimeout?: number }) => setCode(await (await commands.sandbox()).lawsCli(arg, o, io)));

  program
    .command("list")
    .description("builtin CRDTs (ops, options) and the bundled scenarios")
    .addHelpText("after", helpFooter([[0, "always"]], HELP_EXAMPLES.list))
    .action(async () => setCode((await commands.list()).listCommand(io)));

  program
    .command("start")
    .description("run every bundled scenario and write reports/ (what `npm start` does)")
    .option("--out <dir>", "root of the run directories", "reports")
    .option(...PLUGIN_TIMEOUT, parseSeconds)
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "every bundled scenario met its expectations"],
          [1, "one did not"],
          [2, "one could not be run"],
        ],
        HELP_EXAMPLES.start,
      ),
    )
    .action(async (o: { out: string; pluginTimeout?: number }) => setCode(await (await commands.start()).startCommand(o, io)));

  program
    .command("node")
    .description("run a node: a store replica that serves clients and syncs with its peers over WebSocket (see docs/running-a-node.md)")
    .requiredOption("--data <dir>", "the node's data directory: its SQLite store, node id and schema (created if missing; one node per directory)")
    .option("--port <n>", "port to listen on; 0 picks a free one", parsePort, 0)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--peer <url>", "a peer to dial and keep dialing, e.g. ws://127.0.0.1:7402; repeatable (default: none)", collect)
    .option(
      "--schema <file>",
      'the store: FILE.sql, CREATE TABLE statements (the node then answers SQL: memoconductor sql), or FILE.json, a scenario\'s store options { "collections": { … } }; read when --data is new and stored there, after that optional: a different one is refused (default: the stored one; for a new directory, customers, a record of phone, email, tags, views)',
    )
    .option("--sync <mode>", "when a write is acknowledged: always (its own commit and fsync) or group (group commit: one fsync for the writes of a short window)", "group")
    .option("--group-ms <n>", "group commit: the longest a write waits for its batch's fsync, in ms", parseCount, 5)
    .option("--sequencer <name>", "serve this named sequence (client next NAME); repeatable (default: none)", collect)
    .option("--digest-ms <n>", "milliseconds between digest rounds with each peer (repairs what a link lost)", parseCount, 3000)
    .option("--test-clock-file <file>", "testing only (memoconductor cluster): a file holding this node's clock offset in ms, re-read on SIGUSR2 (default: none, the real clock)")
    .option(
      "--test-ack-before-commit",
      "testing only: a deliberate bug — answer writes before their group commit, which waits the full --group-ms (a kill -9 loses acknowledged writes) (default: off)",
    )
    .option("--redial-max-ms <n>", "the longest wait between redials of a peer that is down (exponential back-off from 100 ms up to this)", parseCount, 5000)
    .option(
      "--test-start-on-stdin",
      "testing only (memoconductor cluster): load, print `standby`, then wait for a line on stdin before opening --data and listening (default: off)",
    )
    .option(
      "--test-drop-every <n>",
      "testing only: a deliberate bug — every n-th update is rolled back yet acknowledged as written, and never sent to peers (default: off)",
      parseCount,
    )
    .option(
      "--test-no-txn-hold",
      "testing only: a deliberate bug — apply a peer's transaction as its parts arrive instead of all or nothing (a read may see part of one) (default: off)",
    )
    .option("--test-sync-objects-per-frame <n>", "testing only: objects per sync frame (a receiver catching up then holds transactions it has part of) (default: 2000)", parseCount)
    .addHelpText(
      "after",
      [
        "",
        "Prints one line, `listening on ws://HOST:PORT`, once it serves (with --port 0, the port it got); logs",
        "to stderr. SIGINT or SIGTERM closes it. A write is answered only once it is on disk: a restart on the",
        "same --data (after a crash or kill -9 too) keeps every acknowledged write and catches up from peers.",
      ].join("\n") +
        "\n" +
        helpFooter(
          [
            [0, "closed by SIGINT or SIGTERM"],
            [1, "could not start (the port is taken, better-sqlite3 is not installed)"],
            [
              2,
              "bad input: a bad flag, an unreadable or invalid --schema file (one line naming the file and field), a data directory refused (another schema or node, in use, not a MemoConductor store, damaged)",
            ],
          ],
          HELP_EXAMPLES.node,
          "; it runs until Ctrl-C",
        ),
    )
    .action(
      async (o: {
        data: string;
        port: number;
        host: string;
        peer?: string[];
        schema?: string;
        sync: string;
        groupMs: number;
        sequencer?: string[];
        digestMs: number;
        testClockFile?: string;
        testAckBeforeCommit?: boolean;
        testNoTxnHold?: boolean;
        testDropEvery?: number;
        testStartOnStdin?: boolean;
        redialMaxMs?: number;
        testSyncObjectsPerFrame?: number;
      }) => setCode(await (await commands.node()).nodeCommand({ ...o, peer: o.peer ?? [], sequencer: o.sequencer ?? [] }, io)),
    );

  program
    .command("cluster")
    .description(
      "run a scenario against real node processes on loopback: a fault-injecting proxy per link, kill -9, SIGSTOP, clock offsets; check the recorded history (see docs/cluster.md)",
    )
    .argument("<scenario.json>", "the scenario")
    .option("--seed <n>", "seed of the schedule (the workload's ops and the nemesis), over the scenario's (default: the scenario's seed, else 1)", parseSeed)
    .option("--out <dir>", "root of the run directories (the run goes to <out>/<scenario>/cluster-<seed>/)", "reports")
    .option("--keep-data", "keep the nodes' data directories and logs (their path is printed)", false)
    .option("--node-arg <flag>", "one more flag for every node process; repeatable (testing: --node-arg=--test-ack-before-commit) (default: none)", collect)
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "every expectation met"],
          [1, "a check came out other than expected (the run directory is still written, with the schedule as a simulated scenario)"],
          [2, "bad input: an invalid scenario, or a feature cluster mode cannot reproduce (one line naming the field)"],
        ],
        HELP_EXAMPLES.cluster,
      ),
    )
    .action(async (file: string, o: { seed?: number; out: string; keepData: boolean; nodeArg?: string[] }) =>
      setCode(await (await commands.cluster()).clusterCommand(file, o, io)),
    );

  program
    .command("export")
    .description("a run's history (simulated or cluster) for other checkers: Elle's JSON history, or a ShiViz log (see docs/cluster.md)")
    .argument("<run-dir>", "a run directory (memoconductor run or cluster)")
    .option("--format <format>", "elle (Elle's JSON history) or shiviz (a ShiViz log; its parser regex goes to stderr)", "elle")
    .option("-o, --output <file>", "write here instead of stdout (default: stdout)")
    .addHelpText(
      "after",
      helpFooter(
        [
          [0, "written"],
          [2, "bad input: not a run directory, an unknown format"],
        ],
        HELP_EXAMPLES.export,
      ),
    )
    .action(async (dir: string, o: { format: string; output?: string }) => setCode(await (await commands.export()).exportCommand(dir, o, io)));

  program
    .command("client")
    .description("one request to a running node: update, txn, get, get-many, list, next or watch (answers as JSON lines)")
    .argument("<url>", "the node, e.g. ws://127.0.0.1:7401")
    .argument(
      "<command>",
      "update <collection> <id> <op> <json-args> | txn <json-updates> | get <collection> <id> | get-many <json-keys> | list <collection> | next <sequence> | watch <collection>",
    )
    .argument("[args...]", "the command's arguments")
    .addHelpText(
      "after",
      [
        "",
        '  update customers A set \'["phone","555-0101"]\'   prints {"ok":true} once the write is durable on the node',
        '  txn \'[{"collection":"customers","id":"A","op":"set","args":["phone","555-0101"]},…]\'',
        '                                                one transaction: {"ok":true} once durable; other nodes show all of it or none',
        "  get customers A                               the object's value (MV fields as sorted arrays), null if absent",
        '  get-many \'[{"collection":"customers","id":"A"},…]\'',
        "                                                the objects' values as one JSON array, read at once (never part of a txn)",
        '  list customers                                one {"id":…,"value":…} line per object',
        "  next invoice                                  the sequence's next number, from the node serving it",
        '  watch customers                               one {"id":…,"value":…} line per change, until Ctrl-C',
      ].join("\n") +
        "\n" +
        helpFooter(
          [
            [0, "answered"],
            [1, "the node cannot be reached, or cannot serve the request (no reachable node serves the sequence; the write failed)"],
            [2, "bad input: an unknown command, wrong arguments, bad JSON, an unknown collection, field or op"],
          ],
          HELP_EXAMPLES.client,
          ", with a node listening on port 7401",
        ),
    )
    .action(async (url: string, command: string, args: string[]) => setCode(await (await commands.client()).clientCommand(url, command, args, io)));

  program
    .command("sql")
    .description("SQL on a running node started with --schema FILE.sql: one statement, or a REPL (see docs/sql.md)")
    .argument("<url>", "the node, e.g. ws://127.0.0.1:7401")
    .argument("[statement]", "SQL to run (several: each ended by ;); without it, a REPL on a terminal, else the statements piped to stdin")
    .option("--param <value>", '$1, $2, … in order: a JSON value (42, true, null, "007", ["a","b"]), else the text as a string; repeatable (default: none)', collect)
    .option("--json", 'print one JSON object per row (a write: {"count":N}) instead of a table', false)
    .addHelpText(
      "after",
      [
        "",
        "A SELECT prints an aligned table (MV and SET columns as JSON arrays, NULL as NULL) and (N rows); a",
        "write prints its verb and row count (UPDATE 2) once it is durable on the node. The REPL: statements",
        "end with ;, may span lines; \\q or Ctrl-D quits; an error prints one line and the REPL goes on.",
        "Piped statements stop at the first that fails, with its exit code.",
      ].join("\n") +
        "\n" +
        helpFooter(
          [
            [0, "answered"],
            [1, "the node cannot be reached or cannot serve the statement (NEXTVAL with no reachable sequencer; the write failed)"],
            [
              2,
              "bad input: a statement the node refuses (its one line: a syntax error's line and column, an unknown column, …; nothing applied), a node without a SQL schema, a bad flag",
            ],
          ],
          HELP_EXAMPLES.sql,
          ", with a node started with --schema FILE.sql listening on port 7401",
        ),
    )
    .action(async (url: string, statement: string | undefined, o: { param?: string[]; json: boolean }) =>
      setCode(await (await commands.sql()).sqlCommand(url, statement, { param: o.param ?? [], json: o.json }, io)),
    );

  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = build(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT.ok; // --help, --version
      // Bare `memoconductor`: commander has already printed the help on stderr.
      if (e.code === "commander.help") return EXIT.badInput;
      io.err(`memoconductor: ${e.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ")} (see memoconductor --help)\n`);
      return EXIT.badInput;
    }
    io.err(`memoconductor: ${errorLine(e)}\n`);
    return EXIT.badInput;
  }
}
