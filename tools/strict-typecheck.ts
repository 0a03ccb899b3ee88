/**
 * The strict-flags gate, a ratchet: type-checks the tree with noUncheckedIndexedAccess and
 * exactOptionalPropertyTypes (tsconfig.strict.json) and fails on an error in any file that is
 * not listed in tools/strict-remaining.txt — and on a listed file that has no error any more,
 * so the list only shrinks until it is empty and the flags move into tsconfig.json.
 *
 * Why a list and not a tsconfig per directory: a program type-checks every file it imports, so
 * sim/ with the flags on would report core/'s unfinished files too; the list names exactly what
 * is left. The plain `tsc -p .` (flags off) still checks every file, listed or not.
 */
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const root = resolve(import.meta.dirname, "..");
const listFile = join(root, "tools", "strict-remaining.txt");
const remaining = new Set(
  readFileSync(listFile, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#")),
);

const configPath = join(root, "tsconfig.strict.json");
const config = ts.readConfigFile(configPath, ts.sys.readFile);
if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
const diagnostics = ts.getPreEmitDiagnostics(program);

const failing = new Map<string, number>();
const shown: string[] = [];
for (const d of diagnostics) {
  if (d.file === undefined) {
    shown.push(`error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    continue;
  }
  const file = relative(root, d.file.fileName);
  failing.set(file, (failing.get(file) ?? 0) + 1);
  if (remaining.has(file)) continue;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
  shown.push(`${file}(${line + 1},${character + 1}): error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}
const done = [...remaining].filter((f) => !failing.has(f));

for (const line of shown) console.error(line);
for (const f of done) console.error(`${f} has no error with the strict flags any more: remove it from tools/strict-remaining.txt`);
const left = [...remaining].reduce((n, f) => n + (failing.get(f) ?? 0), 0);
console.log(`strict flags: ${shown.length} error(s) outside the list; ${remaining.size} listed file(s) still to do (${left} error(s))`);
process.exitCode = shown.length > 0 || done.length > 0 ? 1 : 0;
