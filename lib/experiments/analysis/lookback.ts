// CUPED's look-back: how many days before a subject's first exposure count as its pre-period. Kept apart
// from covariates.ts (which reads the database) so the pure definition can import the bounds.

/** Default look-back before exposure for the covariate: two weeks catches weekly habits twice. */
export const DEFAULT_LOOKBACK_DAYS = 14;
/** The longest look-back an experiment or a results request may ask for. */
export const MAX_LOOKBACK_DAYS = 90;
