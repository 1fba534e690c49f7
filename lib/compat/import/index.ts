// The importer core's entry points (lib/compat/README.md).
export { importForeign } from "./import";
export {
  foreignImportReportSchema,
  foreignSystems,
  importForeignInput,
  type ForeignImportReport,
  type ForeignMessage,
  type ForeignPrompt,
  type ForeignPromptReport,
  type ForeignSystem,
  type ForeignVersion,
  type ImportForeignInput,
} from "./types";
