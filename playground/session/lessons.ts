/**
 * Guided levels from the gallery's teaching cases. Each states its point, starts a session where
 * the learner can cause the anomaly with a few clicks, recognises it in the run, and has a fix:
 * the same steps made safe (another CRDT, clock or protocol).
 */
import { CRDT_LESSONS } from "./lessons-crdt.ts";
import { SERVICE_LESSONS } from "./lessons-services.ts";
import type { Lesson } from "./lesson-kit.ts";

export type { Lesson } from "./lesson-kit.ts";

/** In the order the page lists them: the CRDT cases of the talk and the article, then the services'. */
export const LESSONS: Lesson[] = [...CRDT_LESSONS, ...SERVICE_LESSONS];
