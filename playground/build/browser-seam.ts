/**
 * The one seam between the simulator's Node-only imports and the page: an esbuild plugin that
 * answers `node:crypto`, `node:module`, `node:path`, `node:fs`, `node:url` and tsx with the small
 * stand-ins in ./shims/. The sim and core sources are bundled as they are, never forked; any
 * other Node module stays an error at build time, so a new Node-only import is noticed here.
 */
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";

const shim = (file: string) => fileURLToPath(new URL(`./shims/${file}`, import.meta.url));

const SHIMS: Record<string, string> = {
  "node:crypto": shim("crypto.ts"),
  "node:module": shim("module.ts"),
  "node:path": shim("path.ts"),
  "node:fs": shim("unavailable.ts"),
  "node:url": shim("unavailable.ts"),
  "tsx/esm/api": shim("unavailable.ts"),
  "tsx/cjs/api": shim("unavailable.ts"),
};

export const browserSeam: Plugin = {
  name: "memoconductor-browser-seam",
  setup(b) {
    b.onResolve({ filter: /^(node:|tsx\/)/ }, (args) => {
      const path = SHIMS[args.path];
      return path ? { path } : { errors: [{ text: `${args.path} has no browser stand-in (imported by ${args.importer}): add one in playground/build/shims/` }] };
    });
  },
};
