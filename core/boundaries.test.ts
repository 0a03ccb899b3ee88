/**
 * The dependency flow is one way (scenario → sim → run → viz → reports) and core/ is pure:
 * these tests read the import lines of every source file and fail on an import that crosses
 * a boundary the wrong way.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|js)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Every module specifier a file imports (static, dynamic and re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']/g)) specs.push(m[1]);
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1]);
  return specs;
}

const isTest = (f: string) => /\.test\.ts$/.test(f) || f.includes("/_test/");

describe("module boundaries", () => {
  it("core/ imports nothing outside core/ but Node built-ins (tests may use vitest and fast-check)", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles("core")) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith(".")) {
          const target = relative(root, resolve(root, dirname(file), spec));
          if (!target.startsWith("core/")) offenders.push(`${file} imports ${spec}`);
        } else if (!spec.startsWith("node:") && !(isTest(file) && (spec === "vitest" || spec === "fast-check"))) {
          offenders.push(`${file} imports package ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("sim/ never imports cli/ or viz/", () => {
    const offenders = sourceFiles("sim").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => relative(root, resolve(root, dirname(file), spec)))
        .filter((target) => target.startsWith("cli/") || target.startsWith("viz/"))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});
