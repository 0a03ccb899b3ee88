/**
 * What a scenario's `crdt.module` may point at before anything imports it: a regular file of a
 * sane size. Importing `/dev/zero` or a FIFO reads forever (and blocks the thread, so not even a
 * watchdog message gets through); a huge file is read whole and compiled before any code of it
 * runs. Both are refused up front, by a stat that cannot block.
 */
import { statSync, type Stats } from "node:fs";

/** No plugin source is anywhere near this; a bundled library with its dependencies is < 2 MB. */
export const MAX_PLUGIN_BYTES = 8 * 1024 * 1024;

/** Why `path` cannot be a plugin module, or undefined when it may be imported. */
export function pluginFileProblem(path: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    return `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  if (!st.isFile()) return `not a regular file (${kindOf(st)})`;
  if (st.size > MAX_PLUGIN_BYTES) return `too large (${st.size} bytes; a plugin module may have at most ${MAX_PLUGIN_BYTES})`;
  return undefined;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a named pipe";
  if (st.isSocket()) return "a socket";
  return "not a file";
}
