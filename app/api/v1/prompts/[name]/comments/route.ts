// GET /api/v1/prompts/{name}/comments?version= (oldest first, with the members mentioned) and POST
// {version, reviewId?, body} (an @mention of someone outside the project is refused). Admin key.
import { addComment, addCommentInput, listComments, listCommentsInput } from "@/lib/release/comments";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: listCommentsInput, action: "prompt.read" },
  async ({ db, project, params, query }) => json({ data: await listComments(db, project.id, params.name!, query) }),
);

export const POST = withApiKey("admin", { body: addCommentInput }, async ({ db, actor, project, params, body }) =>
  json(await addComment({ db, actor, projectId: project.id }, params.name!, body), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
