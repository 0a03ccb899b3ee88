// Worker-thread entry for `explore --jobs`. The explorer is TypeScript; a worker does not inherit
// the loader hooks of the thread that started it under every launcher (node cli/bin.js registers
// tsx through its API), so each worker registers tsx itself before importing the real code.
import { register } from "tsx/esm/api";

register();
await import("./worker-main.ts");
