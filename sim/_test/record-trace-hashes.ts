/** Re-records sim/_test/recorded-trace-hashes.json (see trace-hashes.ts for when that is allowed). */
import { writeFileSync } from "node:fs";
import { galleryHashes, RECORDED, swarmHashes } from "./trace-hashes.ts";

const all = { ...(await galleryHashes()), ...swarmHashes() };
writeFileSync(RECORDED, JSON.stringify(all, null, 2) + "\n");
console.log(`${Object.keys(all).length} hashes → ${RECORDED}`);
