/**
 * A scenario may name a TypeScript plugin (`crdt.module` ending in .ts). The published package
 * is built JavaScript and runs under plain Node, which cannot import TypeScript, so tsx's
 * loader hooks are registered here — on demand, the first time a TypeScript plugin is about to
 * be imported, in the thread that imports it (the hooks of one thread do not reach a worker).
 * Nothing else pays for tsx: a builtin CRDT or a .js plugin never loads it.
 *
 * Running from the repository's sources (`tsx cli/main.ts`, vitest) a TypeScript loader is
 * already in place — this module is then a .ts file itself — and nothing is registered.
 */
const RUNS_FROM_SOURCE = import.meta.url.endsWith(".ts");

const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;

let registered: Promise<void> | undefined;

/** Makes `path` importable: registers tsx first when it is TypeScript and no loader is in place. */
export function prepareToImport(path: string): Promise<void> {
  if (RUNS_FROM_SOURCE || !TYPESCRIPT.test(path)) return Promise.resolve();
  registered ??= registerTsx();
  return registered;
}

async function registerTsx(): Promise<void> {
  const [esm, cjs] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
  // Both hooks: a plugin outside an ESM package (no "type": "module") is loaded as CommonJS.
  esm.register();
  cjs.register();
}
