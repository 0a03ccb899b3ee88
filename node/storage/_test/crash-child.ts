/**
 * The crash test's child: opens the store in argv[2] with sync argv[3] ("always" | "group"),
 * then writes views["w<i>"] += 1 for i = 0, 1, 2, … (several writes in flight at a time, as a
 * busy node has) and prints `ack <i>` once write i has resolved — the moment a node would answer
 * its client. It never stops on its own: the parent kills it with SIGKILL.
 */
import { openNodeStore } from "../index.ts";
import { bump, SCHEMA } from "./workload.ts";

const [dir, mode] = process.argv.slice(2);
if (dir === undefined || (mode !== "always" && mode !== "group")) throw new Error("usage: crash-child.ts DIR always|group");
const store = openNodeStore(dir, { schema: SCHEMA, nodeId: "n1", sync: mode === "always" ? { mode } : { mode, maxWaitMs: 2 } });
process.stdout.write("ready\n");

let i = 0;
const IN_FLIGHT = 8;
async function writer(): Promise<never> {
  for (;;) {
    const n = i++;
    await store.write(() => bump(store.backing, `w${n}`));
    process.stdout.write(`ack ${n}\n`);
  }
}
for (let k = 0; k < IN_FLIGHT; k++) void writer();
