/**
 * Child of the node-disk suite: opens the store in argv[2] in a fresh process, reads argv[3]
 * records, and prints one JSON line: the time to open, the RSS before opening (the process's
 * own), after opening and after the reads. A process of its own so that the figures are not
 * those of the process that built the store.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DB_FILE, openNodeStore } from "../node/storage/index.ts";
import { customerId } from "./node-disk-workload.ts";

const [dir, readsArg, recordsArg] = process.argv.slice(2);
if (dir === undefined) throw new Error("usage: node-disk-open.ts DIR READS RECORDS");
const reads = Number(readsArg ?? 0);
const records = Number(recordsArg ?? 1);
// The driver is loaded first: its native module is the process's cost, not the store's.
createRequire(import.meta.url)("better-sqlite3");
const bytes = statSync(join(dir, DB_FILE)).size;
const rssBefore = process.memoryUsage().rss;
const start = process.hrtime.bigint();
const store = openNodeStore(dir, { cacheObjects: 10_000 });
const openMs = Number(process.hrtime.bigint() - start) / 1e6;
const rssOpen = process.memoryUsage().rss;
// Reads spread over the whole key range (a fixed stride, not random: the same run every time).
const stride = Math.max(1, Math.floor(records / Math.max(1, reads)));
let found = 0;
for (let k = 0; k < reads; k++) if (store.backing.object("customers", customerId((k * stride) % records)) !== undefined) found++;
const rssRead = process.memoryUsage().rss;
await store.close();
process.stdout.write(JSON.stringify({ openMs, rssBefore, rssOpen, rssRead, found, bytes }) + "\n");
