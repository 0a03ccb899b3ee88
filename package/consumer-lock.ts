/**
 * The consumer test installs the packed tarball with no network. `npm install --offline` of a
 * tarball still asks the registry for its dependencies' metadata, which `npm ci` never caches
 * (it fetches tarballs by the lockfile's URLs); so the consumer gets a lockfile, cut from this
 * repository's own: the tarball, plus every package the tarball's dependencies and the tools
 * the consumer uses (typescript, vitest, @types/node) need, at the versions and paths this
 * repository's lockfile pins. `npm ci --offline` then takes each tarball from npm's cache by
 * its integrity — the cache that this repository's `npm ci` has just filled.
 *
 * memoconductor's optionalDependencies (better-sqlite3, a native build only the node needs)
 * are left out on purpose: the consumer shows the package works without them.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

type LockEntry = {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
};
export type Lockfile = { name?: string; lockfileVersion: number; requires?: boolean; packages: Record<string, LockEntry> };

/** Where `name` is found from the package at `from` ("" for the root), the way Node looks it up. */
function locate(lock: Lockfile, from: string, name: string): string | undefined {
  for (let base = from; ;) {
    const at = `${base === "" ? "" : `${base}/`}node_modules/${name}`;
    if (lock.packages[at]) return at;
    if (base === "") return undefined;
    base = base.slice(0, base.lastIndexOf("node_modules/")).replace(/\/$/, "");
  }
}

/** The lockfile locations `names` (required from the root) need, transitively. */
export function closure(lock: Lockfile, names: readonly string[]): string[] {
  const keep = new Set<string>();
  const visit = (from: string, name: string, required: boolean) => {
    const at = locate(lock, from, name);
    if (at === undefined) {
      if (required) throw new Error(`package-lock.json has no "${name}" reachable from "${from || "the root"}"`);
      return;
    }
    if (keep.has(at)) return;
    keep.add(at);
    const e = lock.packages[at]!;
    for (const d of Object.keys(e.dependencies ?? {})) visit(at, d, true);
    // Optional (platform binaries) and non-optional peers: npm installs them when the lock has them.
    for (const d of Object.keys(e.optionalDependencies ?? {})) visit(at, d, false);
    for (const d of Object.keys(e.peerDependencies ?? {})) if (!e.peerDependenciesMeta?.[d]?.optional) visit(at, d, false);
  };
  for (const n of names) visit("", n, true);
  return [...keep].sort();
}

export type ConsumerDeps = { tarball: string; tarballSpec: string; tools: readonly string[] };

/**
 * The consumer's package.json dependencies and package-lock.json: `memoconductor` from the
 * tarball (`tarballSpec`, relative to the consumer, e.g. "file:pack/memoconductor-0.1.0.tgz"),
 * each of `tools` at this repository's locked version.
 */
export function consumerLock(
  repoLock: Lockfile,
  repoPackage: { name: string; version: string; dependencies: Record<string, string>; bin?: Record<string, string>; engines?: Record<string, string>; license?: string },
  o: ConsumerDeps,
) {
  const pinned = (name: string): string => {
    const v = repoLock.packages[`node_modules/${name}`]?.version;
    if (!v) throw new Error(`package-lock.json does not pin ${name}`);
    return v;
  };
  const dependencies: Record<string, string> = { [repoPackage.name]: o.tarballSpec };
  for (const t of o.tools) dependencies[t] = pinned(t);
  const packages: Record<string, LockEntry> = {
    "": { name: "consumer", dependencies },
    [`node_modules/${repoPackage.name}`]: {
      version: repoPackage.version,
      resolved: o.tarballSpec,
      integrity: `sha512-${createHash("sha512").update(readFileSync(o.tarball)).digest("base64")}`,
      ...(repoPackage.license ? { license: repoPackage.license } : {}),
      dependencies: repoPackage.dependencies,
      ...(repoPackage.bin ? { bin: repoPackage.bin } : {}),
      ...(repoPackage.engines ? { engines: repoPackage.engines } : {}),
    },
  };
  for (const at of closure(repoLock, [...Object.keys(repoPackage.dependencies), ...o.tools])) {
    const { dev: _dev, devOptional: _devOptional, ...entry } = repoLock.packages[at]!;
    packages[at] = entry;
  }
  return { dependencies, lock: { name: "consumer", lockfileVersion: 3, requires: true, packages } satisfies Lockfile };
}
