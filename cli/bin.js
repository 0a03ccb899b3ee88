#!/usr/bin/env node
// The CLI from the sources, with no build: what the tests spawn. It registers tsx's loaders —
// both hooks, since a plugin outside an ESM package is loaded as CommonJS — and imports the
// TypeScript entry. The published `memoconductor` executable is the built one
// (dist/bin/memoconductor.js, `npm run build`), which needs tsx only for a TypeScript plugin.
import { register as registerEsm } from "tsx/esm/api";
import { register as registerCjs } from "tsx/cjs/api";

registerEsm();
registerCjs();
await import("./main.ts");
