/**
 * `memoconductor client URL <command> …`: one request to a running node, its answer as JSON on
 * stdout. Exit 0 on success, 2 on bad input (a bad command, arguments, or a request the node
 * refuses as wrong: an unknown collection or field), 1 when the node cannot be reached or cannot
 * serve it (no node serves the sequence, the write failed).
 */
import { connect, objectKeysSchema, RequestError, txnUpdatesSchema, type Client } from "../node/index.ts";
import { EXIT, errorLine, type Io } from "./io.ts";

const USAGE: Record<string, string> = {
  update: "update <collection> <id> <op> <json-args>",
  txn: "txn <json-updates>",
  get: "get <collection> <id>",
  "get-many": "get-many <json-keys>",
  list: "list <collection>",
  next: "next <sequence>",
  watch: "watch <collection>",
};

class BadInput extends Error {}

function arity(command: string, args: string[], n: number): void {
  if (args.length !== n) throw new BadInput(`${command}: expected ${n} argument${n === 1 ? "" : "s"} (${USAGE[command]}), got ${args.length}`);
}

function jsonArgs(text: string): unknown[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new BadInput(`update: <json-args>: not JSON: ${text} (e.g. '["phone","555-0101"]')`);
  }
  if (!Array.isArray(v)) throw new BadInput(`update: <json-args>: expected a JSON array of the op's arguments, got ${text} (e.g. '["phone","555-0101"]')`);
  return v;
}

const TXN_EXAMPLE = `'[{"collection":"customers","id":"A","op":"set","args":["phone","555-0101"]}]'`;
const KEYS_EXAMPLE = `'[{"collection":"customers","id":"A"},{"collection":"customers","id":"B"}]'`;

/** A JSON argument checked against a request's schema: one line naming the first problem. */
function jsonList<T>(
  command: string,
  what: string,
  text: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  example: string,
): T {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new BadInput(`${command}: <${what}>: not JSON: ${text} (e.g. ${example})`);
  }
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const at = issue.path.length ? ` at ${issue.path.map(String).join(".")}` : "";
  throw new BadInput(`${command}: <${what}>${at}: ${issue.message} (e.g. ${example})`);
}

const line = (x: unknown) => `${JSON.stringify(x)}\n`;

export async function clientCommand(url: string, command: string, args: string[], io: Io): Promise<number> {
  let client: Client | undefined;
  try {
    if (!(command in USAGE)) throw new BadInput(`unknown command "${command}" (commands: ${Object.keys(USAGE).join(", ")})`);
    if (!/^wss?:\/\//.test(url)) throw new BadInput(`not a node URL: "${url}" (e.g. ws://127.0.0.1:7401)`);
    arity(command, args, { update: 4, txn: 1, get: 2, "get-many": 1, list: 1, next: 1, watch: 1 }[command]!);
    const a = args as [string, string, string, string];
    const updateArgs = command === "update" ? jsonArgs(a[3]) : [];
    const updates = command === "txn" ? jsonList("txn", "json-updates", a[0], txnUpdatesSchema, TXN_EXAMPLE) : [];
    const keys = command === "get-many" ? jsonList("get-many", "json-keys", a[0], objectKeysSchema, KEYS_EXAMPLE) : [];
    client = await connect(url);
    switch (command) {
      case "update":
        await client.update(a[0], a[1], a[2], updateArgs);
        io.out(line({ ok: true }));
        break;
      case "txn":
        await client.txn(updates);
        io.out(line({ ok: true }));
        break;
      case "get":
        io.out(line(await client.get(a[0], a[1])));
        break;
      case "get-many":
        io.out(line(await client.getMany(keys)));
        break;
      case "list":
        for (const o of await client.list(a[0])) io.out(line(o));
        break;
      case "next":
        io.out(line(await client.next(a[0])));
        break;
      case "watch":
        return await watch(client, a[0], io);
    }
    return EXIT.ok;
  } catch (e) {
    io.err(`memoconductor client: ${errorLine(e)}\n`);
    return e instanceof BadInput || (e instanceof RequestError && e.kind === "bad-request") ? EXIT.badInput : EXIT.failed;
  } finally {
    await client?.close();
  }
}

/** Prints each change until SIGINT/SIGTERM (exit 0) or until the node goes away (exit 1). */
async function watch(client: Client, collection: string, io: Io): Promise<number> {
  await client.watch(collection, (c) => io.out(line({ id: c.id, value: c.value })));
  const gone = client.closed.then(() => EXIT.failed);
  const stopped = new Promise<number>((resolve) => {
    process.once("SIGINT", () => resolve(EXIT.ok));
    process.once("SIGTERM", () => resolve(EXIT.ok));
  });
  const code = await Promise.race([gone, stopped]);
  if (code !== EXIT.ok) io.err(`memoconductor client: the connection to ${client.url} closed\n`);
  return code;
}
