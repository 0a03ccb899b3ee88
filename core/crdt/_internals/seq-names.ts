/**
 * The replica-name table both sequence codecs (rga, lseq) start with: a count, then the names
 * in strictly increasing UTF-16 order (canonical: one table per set of names).
 */
import type { Reader } from "../../encoding/reader.ts";
import type { Writer } from "../../encoding/writer.ts";
import { compareStrings } from "../../util/json.ts";

/** Writes the sorted table of `names` and returns it (index = position in the table). */
export function writeNames(w: Writer, names: Iterable<string>): string[] {
  const table = [...names].sort(compareStrings);
  w.uint(table.length);
  for (const n of table) w.string(n);
  return table;
}

export function readNames(r: Reader): string[] {
  const n = r.count(1);
  const table: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.string();
    const prev = table[i - 1];
    if (prev !== undefined && compareStrings(prev, name) >= 0) r.fail(`replica names not strictly sorted ("${prev}" then "${name}")`);
    table.push(name);
  }
  return table;
}
