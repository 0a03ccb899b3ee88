/**
 * Which registers a type holds, for no-lost-writes and durability: the bare register (an
 * lww- or mv-register), every key of an LWW-Map, or the register fields of a record.
 *
 * Field names and map keys are user data, and "__proto__", "constructor" or "" are names like
 * any other: they live in a Map (never as keys of a plain object, where "__proto__" would set
 * the prototype and "constructor" would be found on Object.prototype), and a replica's value
 * is read by own property only.
 */
export type RegisterKind = "lww" | "mv";

const KIND = new Map<string, RegisterKind>([
  ["lww-register", "lww"],
  ["mv-register", "mv"],
]);

export class RegisterFields {
  private constructor(
    /** Set for a bare register: its writes are `set [v]`, its value the replica's whole value. */
    readonly bare: RegisterKind | undefined,
    /** Set for an LWW-Map: every key is a register. */
    private readonly everyKey: RegisterKind | undefined,
    private readonly named: ReadonlyMap<string, RegisterKind>,
  ) {}

  static bareRegister(kind: RegisterKind): RegisterFields {
    return new RegisterFields(kind, undefined, new Map());
  }

  static everyKey(kind: RegisterKind): RegisterFields {
    return new RegisterFields(undefined, kind, new Map());
  }

  static named(fields: Iterable<readonly [string, RegisterKind]>): RegisterFields {
    return new RegisterFields(undefined, undefined, new Map(fields));
  }

  /** The registers of a type (by its builtin name and scenario spec), or null when it has none. */
  static of(crdtName: string, spec: unknown): RegisterFields | null {
    const bare = KIND.get(crdtName);
    if (bare) return RegisterFields.bareRegister(bare);
    if (crdtName === "lww-map") return RegisterFields.everyKey("lww");
    if (crdtName !== "record" || spec === null || typeof spec !== "object") return null;
    const fields = (spec as { fields?: unknown }).fields;
    if (!fields || typeof fields !== "object") return null;
    const out: [string, RegisterKind][] = [];
    for (const name of Object.keys(fields).sort()) {
      const f = (fields as Record<string, unknown>)[name];
      const type = typeof f === "string" ? f : (f as { type?: unknown } | null)?.type;
      const kind = typeof type === "string" ? KIND.get(type) : undefined;
      if (kind) out.push([name, kind]);
    }
    return out.length ? RegisterFields.named(out) : null;
  }

  /** The kind of keyed register `key` (a record field or map key), undefined when it is none. */
  kindOf(key: string): RegisterKind | undefined {
    if (this.bare) return undefined;
    return this.named.get(key) ?? this.everyKey;
  }

  /** The kind of the register `key` names: the bare one for "" when bare, else a keyed one. */
  kindAt(key: string): RegisterKind | undefined {
    return this.bare ?? this.kindOf(key);
  }

  /** What a replica's value shows for register `key`: the whole value when bare, else its own property (undefined when absent). */
  shown(value: unknown, key: string): unknown {
    if (this.bare) return value;
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    return (value as Record<string, unknown>)[key];
  }
}
