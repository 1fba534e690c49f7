// Any LangSmith path Lectern does not offer (runs, datasets, feedback, agents, skills…): a 404 in LangSmith's
// error shape, which its clients put into the error they throw, saying so (docs/switching.md lists what is offered).
import { notOffered as notOfferedBy } from "../../_not-offered";

export const dynamic = "force-dynamic";

const notOffered = notOfferedBy(
  "LangSmith",
  "/api/compat/langsmith",
  "the prompt hub (settings, repos, commits, tags)",
);

export { notOffered as GET, notOffered as POST, notOffered as PUT, notOffered as PATCH, notOffered as DELETE };
