/** The CRM story of "Distributed Data Without Tears", asserted on the run: field-level CRDTs keep both edits, MV fields show both numbers. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../sim/index.ts";

const file = fileURLToPath(new URL("./crm-alice-bob.json", import.meta.url));

describe("crm-alice-bob", () => {
  it("edits of different fields during a partition both survive; concurrent phone edits are both kept", async () => {
    const r = await simulate(file);
    const lines = (r.trace ?? []).map((l) => JSON.parse(l) as { t: number; type: string; value?: { phone: string[]; email: string } });
    // Just after the first heal has spread (before the second partition), every replica shows both edits.
    const beforeSecondSplit = lines.filter((e) => e.t < 2000 && e.value !== undefined);
    const lastSeen = new Map<string, { phone: string[]; email: string }>();
    for (const e of beforeSecondSplit) lastSeen.set(String((e as { node?: string; to?: string }).node ?? (e as { to?: string }).to), e.value!);
    for (const v of lastSeen.values()) expect(v).toEqual({ phone: ["555-0101"], email: "bob@example.org" });
    // Bob's clock is 30 s behind, yet nothing is lost: the fields never competed.
    for (const v of Object.values(r.summary.final)) expect(v).toEqual({ phone: ["555-0199", "555-0242"], email: "bob@example.org" });
    expect(r.summary.ok).toBe(true);
  });
});
