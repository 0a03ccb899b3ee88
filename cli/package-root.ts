/**
 * Where the package's own files are: package.json and the scenarios gallery. The CLI runs from
 * the sources (<root>/cli/*.ts, under tsx or vitest) or built (<root>/dist/cli/*.js); both
 * reach the same root, which is where `files` ships them.
 */
import { fileURLToPath } from "node:url";

const ROOT = new URL(import.meta.url.endsWith(".ts") ? "../" : "../../", import.meta.url);

/** The absolute path of `rel` inside the package, e.g. `packageFile("scenarios/")`. */
export const packageFile = (rel: string): string => fileURLToPath(new URL(rel, ROOT));
