/**
 * Test fixture: a resolver that knows the record and OR-Map as well as the registry's builtins,
 * as core/registry.ts will once it registers them (lwwMap, recordType(resolveBuiltin), orMapType(resolveBuiltin)).
 */
import { resolveBuiltin } from "../../registry.ts";
import { lwwMap } from "../lww-map.ts";
import { orMapType } from "../or-map.ts";
import { recordType } from "../record.ts";
import type { TypeSpec } from "./nested.ts";

export const record = recordType(resolve);
export const orMap = orMapType(resolve);

export function resolve(spec: TypeSpec) {
  const name = typeof spec === "string" ? spec : spec.type;
  const local = name === "record" ? record : name === "or-map" ? orMap : name === "lww-map" ? lwwMap : undefined;
  if (!local) return resolveBuiltin(spec);
  return typeof spec === "string" ? local : local.configure(spec);
}
