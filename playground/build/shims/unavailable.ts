/**
 * node:fs, node:url and tsx in the browser build: the page reads no files and imports no plugin
 * from disk, so each of these throws one clear line if a code path ever reaches it.
 */
const missing =
  (name: string) =>
  (..._args: unknown[]): never => {
    throw new Error(`${name} is not available in the browser playground`);
  };

export const readFileSync = missing("fs.readFileSync");
export const statSync = missing("fs.statSync");
export const existsSync = missing("fs.existsSync");
export const pathToFileURL = missing("url.pathToFileURL");
export const register = missing("tsx register");
// A run's trace file (sim/trace-format/file.ts): the page keeps its trace in memory.
export const openSync = missing("fs.openSync");
export const readSync = missing("fs.readSync");
export const writeSync = missing("fs.writeSync");
export const closeSync = missing("fs.closeSync");
