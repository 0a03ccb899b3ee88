/**
 * The read model's crash test child: opens the SQL node in argv[2] with group commit and writes
 * INSERTs, UPDATEs and DELETEs as fast as it can (several in flight), printing `ack <i>` once
 * statement i is durable. It never stops on its own: the parent kills it with SIGKILL.
 */
import { openSqlNode } from "./node-sql.ts";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: crash-child.ts DIR");
const node = openSqlNode(dir, { mode: "group", maxWaitMs: 2 });
process.stdout.write("ready\n");

let i = 0;
function statement(n: number): [string, unknown[]] {
  const id = `c${n % 50}`;
  switch (n % 5) {
    case 0:
      return ["INSERT INTO orders VALUES ($1, $2, $3)", [n, id, n % 17]];
    case 1:
      return ["UPDATE customers SET phone = $2, views = views + 1, vip = $3 WHERE id = $1", [id, `555-${n}`, n % 2 === 0]];
    case 2:
      return ["DELETE FROM orders WHERE no = $1", [n - 2]];
    default:
      return ["INSERT INTO customers (id, email, score) VALUES ($1, $2, $3)", [`c${n}`, `${n}@example.org`, n / 4]];
  }
}
async function writer(): Promise<never> {
  for (;;) {
    const n = i++;
    const [text, params] = statement(n);
    await node.write(text, params);
    process.stdout.write(`ack ${n}\n`);
  }
}
for (let k = 0; k < 8; k++) void writer();
