// Any PromptLayer path Lectern does not offer (workflows, groups, datasets, evaluations, skills…): a 404 in
// PromptLayer's error shape, which its clients read, saying so (docs/switching.md lists what is offered).
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/http/api";

export const dynamic = "force-dynamic";

const notOffered = (req: Request) => {
  const { pathname } = new URL(req.url);
  const what = pathname.slice("/api/compat/promptlayer".length);
  return errorResponse(
    new AppError(
      "not_found",
      `Lectern's PromptLayer-compatible API does not offer ${req.method} ${what}: it answers templates (get, all, publish) and request logging (logRequest, track-request, track.*). See docs/switching.md.`,
    ),
    undefined,
    pathname,
  );
};

export { notOffered as GET, notOffered as POST, notOffered as PUT, notOffered as PATCH, notOffered as DELETE };
