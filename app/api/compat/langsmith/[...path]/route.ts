// Any LangSmith path Lectern does not offer (runs, datasets, feedback, agents, skills…): a 404 in LangSmith's
// error shape, which its clients put into the error they throw, saying so (docs/switching.md lists what is offered).
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/http/api";

export const dynamic = "force-dynamic";

const notOffered = (req: Request) => {
  const { pathname } = new URL(req.url);
  const what = pathname.slice("/api/compat/langsmith".length);
  return errorResponse(
    new AppError(
      "not_found",
      `Lectern's LangSmith-compatible API does not offer ${req.method} ${what}: it answers the prompt hub (settings, repos, commits, tags). See docs/switching.md.`,
    ),
    undefined,
    pathname,
  );
};

export { notOffered as GET, notOffered as POST, notOffered as PUT, notOffered as PATCH, notOffered as DELETE };
