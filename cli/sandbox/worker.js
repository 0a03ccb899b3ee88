// Entry of a supervised plugin thread (cli/sandbox/supervise.ts). Like sim/explore/worker.js:
// a worker does not inherit the loader hooks of the thread that started it under every
// launcher, so it registers tsx itself — both hooks, as cli/bin.js does, since a plugin outside
// an ESM package is loaded as CommonJS.
import { register as registerEsm } from "tsx/esm/api";
import { register as registerCjs } from "tsx/cjs/api";

registerEsm();
registerCjs();
await import("./worker-main.ts");
