// Any PromptLayer path Lectern does not offer (workflows, groups, datasets, evaluations, skills…): a 404 in
// PromptLayer's error shape, which its clients read, saying so (docs/switching.md lists what is offered).
import { notOffered as notOfferedBy } from "../../_not-offered";

export const dynamic = "force-dynamic";

const notOffered = notOfferedBy(
  "PromptLayer",
  "/api/compat/promptlayer",
  "templates (get, all, publish) and request logging (logRequest, track-request, track.*)",
);

export { notOffered as GET, notOffered as POST, notOffered as PUT, notOffered as PATCH, notOffered as DELETE };
