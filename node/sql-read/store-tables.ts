/**
 * The read model's tables in the node's database: created, kept in step one record at a time
 * (`apply`, called inside the write transaction that changed the record), and rebuilt whole from
 * the store when they are missing or were made by another layout (`sqlread_meta` holds the
 * stamp, the tables it made, and whether every row is exact: encode.ts).
 */
import type Database from "better-sqlite3";
import type { SqlSchema, SqlStore } from "../../sql/index.ts";
import { encodeRow, regularId } from "./encode.ts";
import { createTableSql, layoutOf, META_TABLE, quote, stampOf, type TableLayout } from "./layout.ts";

type TableStatements = { upsert: Database.Statement; remove: Database.Statement };

export class ReadModelTables {
  readonly layout: Map<string, TableLayout>;
  private readonly stamp: string;
  private statements = new Map<string, TableStatements>();
  private exactNow = true;

  constructor(
    private readonly db: Database.Database,
    schema: SqlSchema,
  ) {
    this.layout = layoutOf(schema);
    this.stamp = stampOf(this.layout);
  }

  /** Whether the stored model is of this layout (else it must be rebuilt). */
  current(): boolean {
    const has = this.db.prepare<[string], number>("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(META_TABLE);
    if (!has) return false;
    if (this.meta("stamp") !== this.stamp) return false;
    this.exactNow = this.meta("exact") === "1";
    this.prepare();
    return true;
  }

  /** Whether every row is held exactly (else SELECTs run in memory). */
  get exact(): boolean {
    return this.exactNow;
  }

  /** Drops whatever model is stored and builds this one from the store's records; in the caller's transaction. */
  rebuild(store: SqlStore): void {
    const db = this.db;
    const hasMeta = db.prepare<[string], number>("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(META_TABLE);
    if (hasMeta) {
      const old = JSON.parse(this.meta("tables") ?? "[]") as string[];
      for (const t of old) db.exec(`DROP TABLE IF EXISTS ${quote(t)}`);
      db.exec(`DROP TABLE ${quote(META_TABLE)}`);
    }
    db.exec(`CREATE TABLE ${quote(META_TABLE)} (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`);
    for (const t of this.layout.values()) {
      db.exec(`DROP TABLE IF EXISTS ${quote(t.sql)}`);
      db.exec(createTableSql(t));
    }
    this.prepare();
    this.exactNow = true;
    this.setMeta("stamp", this.stamp);
    this.setMeta("tables", JSON.stringify([...this.layout.values()].map((t) => t.sql)));
    this.setMeta("exact", "1");
    for (const t of this.layout.values()) for (const id of store.ids(t.table.name)) this.apply(t.table.name, id, store.object(t.table.name, id));
  }

  /** Brings one row in step with its record's new value (a collection that is no SQL table is ignored). */
  apply(collection: string, id: string, record: unknown): void {
    const t = this.layout.get(collection);
    const st = this.statements.get(collection);
    if (!t || !st) return;
    const row = encodeRow(t, id, record);
    if (row === null) {
      if (regularId(t, id) || t.table.key.scalar === "text") st.remove.run(t.table.key.scalar === "integer" ? BigInt(id) : id);
      return;
    }
    if (row.values) st.upsert.run(...row.values);
    if (!row.exact && this.exactNow) {
      this.exactNow = false;
      this.setMeta("exact", "0");
    }
  }

  private prepare(): void {
    this.statements = new Map(
      [...this.layout.values()].map((t) => {
        const cols = t.columns.flatMap((c) => (c.count ? [c.sql, c.count] : [c.sql])).map(quote);
        const key = quote(t.key.sql);
        const set = cols.filter((c) => c !== key).map((c) => `${c} = excluded.${c}`);
        const upsert = this.db.prepare(
          `INSERT INTO ${quote(t.sql)} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")}) ON CONFLICT (${key}) DO UPDATE SET ${set.join(", ")}`,
        );
        const remove = this.db.prepare(`DELETE FROM ${quote(t.sql)} WHERE ${key} = ?`);
        return [t.table.name, { upsert, remove }];
      }),
    );
  }

  private meta(key: string): string | undefined {
    return this.db
      .prepare<[string], string>(`SELECT value FROM ${quote(META_TABLE)} WHERE key = ?`)
      .pluck()
      .get(key);
  }

  private setMeta(key: string, value: string): void {
    this.db.prepare(`INSERT INTO ${quote(META_TABLE)} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value);
  }
}
