/**
 * node:path in the browser build. The loader only asks whether a plugin path is absolute and
 * joins it to a base directory, to name the file; the page resolves plugins from its own table
 * (playground/session/page-crdts.ts), by the path's last segment.
 */
export const isAbsolute = (p: string): boolean => p.startsWith("/");
export const resolve = (...parts: string[]): string => parts.filter((p) => p !== "" && p !== ".").join("/");
export const dirname = (p: string): string => p.slice(0, Math.max(0, p.lastIndexOf("/"))) || ".";
