// Runs and comparisons share the datasets section's layout: one sub-navigation for the evaluation section.
export { default } from "../datasets/layout";
