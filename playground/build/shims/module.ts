/**
 * node:module in the browser build. sql/parse.ts loads pgsql-ast-parser lazily through
 * createRequire (the CLI starts without it); in the page that require is answered from the bundle.
 */
import * as pgsqlAstParser from "pgsql-ast-parser";

const BUNDLED: Record<string, unknown> = { "pgsql-ast-parser": pgsqlAstParser };

export function createRequire(_from: string | URL | undefined): (id: string) => unknown {
  return (id) => {
    if (!Object.hasOwn(BUNDLED, id)) throw new Error(`the playground cannot load "${id}": only pgsql-ast-parser is bundled`);
    return BUNDLED[id];
  };
}
