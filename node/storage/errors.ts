/**
 * The node's storage errors. Two kinds, because a node reacts to them differently:
 *
 * - `StorageError`: a write could not be made durable (full disk, I/O error, a commit that
 *   failed). The write's promise rejects with it; the node keeps serving.
 * - `StoreOpenError`: the data directory cannot be used at all (no schema for a new one, another
 *   node's or another schema's database, a file that is not ours or is corrupt). The node does
 *   not start; the message names the file and the reason, and nothing on disk was changed.
 */
export class StorageError extends Error {
  override name = "StorageError";
}

export class StoreOpenError extends StorageError {
  override name = "StoreOpenError";
}

/** The message of an unknown thrown value (SQLite's errors carry their code, e.g. SQLITE_FULL). */
export function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
