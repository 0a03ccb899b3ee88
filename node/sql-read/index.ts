/** The SQL read model of a node: its tables in the node's SQLite database, SELECTs run by SQLite (docs/sql.md, "Reads on a node"). */
export { createSqlReadModel, type SqlReadModel, type SqlReadPlan } from "./read-model.ts";
export { attachSqlReadModel } from "./attach.ts";
