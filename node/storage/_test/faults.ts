/** Test helper: disk faults injected at a store's connection (a real I/O error cannot be provoked on demand). */
import type { SqliteNodeStore } from "../sqlite-store.ts";

/** Makes the store's next COMMIT fail as an I/O error would: SQLite rolls the batch back, as a crash would lose it. */
export function failNextCommit(store: SqliteNodeStore): void {
  const exec = store.db.exec.bind(store.db);
  let armed = true;
  store.db.exec = (sql: string) => {
    if (sql === "COMMIT" && armed) {
      armed = false;
      throw Object.assign(new Error("disk I/O error"), { name: "SqliteError", code: "SQLITE_IOERR" });
    }
    return exec(sql);
  };
}
