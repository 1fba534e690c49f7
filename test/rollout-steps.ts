// A guarded rollout's steps, for tests that start one.

/** One step: the share of subjects on the new version, and what it waits for before the next (none unless told). */
export const step = (percent: number, minSubjects = 0, minMinutes = 0) => ({ percent, minMinutes, minSubjects });

/** 10 %, 50 %, 100 %, each waiting for nothing: a rollout the next tick may advance. */
export const quickSteps = [step(10), step(50), step(100)];
