/**
 * Determinism guard: no wall clock and no unseeded randomness anywhere in core/ or sim/ outside
 * tests. (Benchmarks in bench/ may read the clock; they never feed a run.)
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const FORBIDDEN = [/Math\.random\s*\(/, /Date\.now\s*\(/, /performance\.now\s*\(/, /new Date\s*\(/, /process\.hrtime/, /crypto\.randomUUID|getRandomValues|randomBytes/];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sources(path);
    return /\.(ts|js|mjs)$/.test(name) && !/\.test\.(ts|js)$/.test(name) && !/_test/.test(path) ? [path] : [];
  });
}

describe("no wall clock or unseeded randomness in core/ and sim/", () => {
  const files = [...sources(join(root, "core")), ...sources(join(root, "sim"))];
  it("finds the sources", () => expect(files.length).toBeGreaterThan(20));
  it("none uses Math.random, Date.now, performance.now, new Date, hrtime or crypto randomness", () => {
    const hits: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, "");
        if (FORBIDDEN.some((re) => re.test(code))) hits.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
