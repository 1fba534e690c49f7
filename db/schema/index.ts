export * from "./users";
export * from "./projects";
export * from "./prompts";
export * from "./releases";
export * from "./experiments";
export * from "./evaluation";
export * from "./audit";
