// memoconductor/node in a project without better-sqlite3 (the consumer's install leaves that
// optional native module out): the API imports, and opening a node says what to install.
import { connect, openNode, RequestError } from "memoconductor/node";

let message = "";
try {
  await openNode({ dir: "node-data", port: 0 });
} catch (e) {
  message = e instanceof Error ? e.message : String(e);
}
console.log(JSON.stringify({ api: [typeof connect, typeof openNode, typeof RequestError], message }));
