/**
 * `npm run playground [-- --port N]`: builds the playground and serves dist/playground/ on
 * 127.0.0.1 — static files only, no server-side logic (the simulator runs in the page).
 * Port 0 picks a free one; the URL printed is the one to open.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { buildPlayground } from "./build/build.ts";

export const DEFAULT_PORT = 4823;
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** Serves the files of `dir` (no listing, nothing outside it) and resolves once listening. */
export function serveStatic(dir: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const rel = normalize(decodeURIComponent(path === "/" ? "/index.html" : path));
    const type = TYPES[extname(rel)];
    if (rel.includes("..") || type === undefined) return void res.writeHead(404).end("not found\n");
    readFile(join(dir, rel)).then(
      (body) => res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body),
      () => res.writeHead(404).end("not found\n"),
    );
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address();
      const p = typeof addr === "object" && addr ? addr.port : port;
      ok({ server, url: `http://127.0.0.1:${p}/` });
    });
  });
}

const portArg = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port is an integer from 0 to 65535");
  return n;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opts = new Command("playground")
    .description("build the playground and serve it on 127.0.0.1")
    .option("--port <n>", "port to listen on (0: any free one)", portArg, DEFAULT_PORT)
    .parse()
    .opts<{ port: number }>();
  const dir = await buildPlayground();
  try {
    const { url } = await serveStatic(dir, opts.port);
    console.log(`playground: ${url}  (Ctrl-C stops it; ${join(dir, "index.html")} also works opened as a file)`);
  } catch (e) {
    console.error(`playground: cannot listen on 127.0.0.1:${opts.port}: ${(e as Error).message}`);
    process.exit(2);
  }
}
