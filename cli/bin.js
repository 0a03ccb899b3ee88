#!/usr/bin/env node
// The package's `memoconductor` executable. The CLI is TypeScript; registering tsx's loaders
// lets it — and TypeScript plugins named by scenarios — run under plain Node with no build
// step. Both hooks: a plugin outside an ESM package is loaded as CommonJS.
import { register as registerEsm } from "tsx/esm/api";
import { register as registerCjs } from "tsx/cjs/api";

registerEsm();
registerCjs();
await import("./main.ts");
