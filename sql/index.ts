/**
 * A subset of SQL over field-level CRDTs (docs/sql.md): CREATE TABLE → store collections of
 * records, INSERT / UPDATE / DELETE → field CRDT ops, SELECT over the merged values. Pure and
 * deterministic: the storage is whatever SqlStore it is given (a StoreReplica satisfies it).
 */
export { SqlError, SequencerUnavailableError, type SqlErrorKind } from "./errors.ts";
export { SqlSchema, ROW_FIELD, type Table, type Column, type ColumnKind, type DeletePolicy, type RowCrdt, type Scalar } from "./schema.ts";
export { SqlDatabase, TRANSACTION_REFUSAL, type SqlOptions, type SqlResult, type SqlSequencer, type Plan as SqlPlan } from "./database.ts";
export type { SqlStore, Value } from "./rows.ts";
export type { Row, SelectResult } from "./select.ts";
export { storeOverState } from "./state-store.ts";
export { splitStatements, hasStatement, type ScriptStatement } from "./split.ts";
