/**
 * The in-memory engine's pieces that a second executor of the same language needs — the node's
 * SQLite read model (node/sql-read), which must resolve names, spot aggregates, decide a row's
 * liveness and show values exactly as this engine does, or its answers would drift from it.
 * Not part of the public API (the package exports sql/index.ts only); the boundaries test lets
 * node/ import this module and sql/index.ts, nothing else of sql/.
 */
export { compile, hasAggregate, isAggregate, nameOf, resolveRef, type Env, type Source } from "./expr.ts";
export { parseSql } from "./parse.ts";
export { idOf, rowOf, show } from "./rows.ts";
export { keyLookup, sourcesOf } from "./select.ts";
