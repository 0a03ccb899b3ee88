/**
 * The manual's links hold: every relative link and image in README.md and docs/*.md points at a
 * file that exists and, with a `#fragment`, at a heading that has that anchor; and the README's
 * contents reach every page of docs/ in one click. Source comments that cite a page's section
 * (`docs/design.md, "Checkers"`) cite one that exists.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { anchors, links, manualFiles, readManual, ROOT } from "./_test/manual.ts";

describe("the manual's links", () => {
  it("every relative link points at an existing file and heading", () => {
    const broken: string[] = [];
    for (const file of manualFiles()) {
      for (const link of links(file)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) continue; // https:, mailto: — not ours to check offline
        const [path = "", fragment] = link.target.split("#");
        const target = path === "" ? file : normalize(join(dirname(file), decodeURIComponent(path)));
        const where = `${file}:${link.line}: ${link.target}`;
        if (target.startsWith("..") || !existsSync(join(ROOT, target))) broken.push(`${where}: no file ${target}`);
        else if (fragment !== undefined && target.endsWith(".md") && !anchors(target).has(fragment)) {
          broken.push(`${where}: ${target} has no heading with the anchor #${fragment}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("the README's contents link every page of docs/", () => {
    const linked = new Set(links("README.md").map((l) => l.target.split("#")[0]));
    const pages = manualFiles().filter((f) => f.startsWith("docs/"));
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
  });

  it("source comments cite pages and sections that exist", () => {
    const sources = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : []));
    const headings = (page: string) => new Set([...readManual(page).matchAll(/^#{1,6}\s+(.*)$/gm)].map((m) => m[1]!.replace(/`/g, "")));
    const wrong: string[] = [];
    let cited = 0;
    for (const file of ["core", "sim", "viz", "cli", "bench", "examples", "scenarios"].flatMap(sources)) {
      for (const m of readFileSync(join(ROOT, file), "utf8").matchAll(/docs\/([a-z-]+\.md)(?:, "([^"]+)")?/g)) {
        cited++;
        const page = `docs/${m[1]}`;
        if (!existsSync(join(ROOT, page))) wrong.push(`${file}: ${page} does not exist`);
        else if (m[2] !== undefined && !headings(page).has(m[2])) wrong.push(`${file}: ${page} has no section "${m[2]}"`);
      }
    }
    expect(cited).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });

  it("anchors follow GitHub's rule", () => {
    // The anchors GitHub makes: punctuation and code marks dropped, spaces to hyphens.
    expect(anchors("docs/crdts.md").has("text-rga-and-lseq")).toBe(true);
    expect(anchors("docs/crdts.md").has("text-rga-and-lseq-typo")).toBe(false);
  });
});
