/**
 * What a RAMP server writes to its storage (core/storage.ts): a log of the requests that changed
 * it (prepare, put, commit), each with the time it was handled, and now and then a snapshot of
 * its versions. Replaying the log over the snapshot runs the same code the requests ran, so a
 * restarted server holds exactly the versions and commits that were durable.
 *
 * Gets are not logged: they change nothing but the GC clock, and a recovered server that has
 * collected a little later than the original only holds superseded versions a while longer.
 */
import type { ReplicaStorage } from "../storage.ts";
import type { Commit, Prepare, Put, Version } from "./messages.ts";
import type { Ts } from "./timestamp.ts";

/** One logged request and the server time it was handled at. */
export type RampRecord = { req: Prepare | Put | Commit; now: number };

/** A stored version and when it was superseded (undefined while it is the latest or pending). */
export type StoredVersion = { version: Version; supersededAt: number | undefined };

/**
 * Everything a server holds, as plain data. Versions are listed per key in the order they were
 * installed; the GC queue is rebuilt from `supersededAt`.
 */
export type RampSnapshot = {
  clock: number;
  lastCommit: [key: string, ts: Ts][];
  versions: StoredVersion[];
};

export type RampStorage = ReplicaStorage<RampSnapshot, RampRecord>;
