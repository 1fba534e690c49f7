// The optimization job's name in the queue: job.ts declares the job under it, claim.ts looks for its jobs.
export const OPTIMIZATION_JOB = "optimization";
