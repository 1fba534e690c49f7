import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/server/http/api";

/**
 * The handler of a compatible API's catch-all route: a 404 in the API's error shape (which its clients put into
 * the error they throw) naming the path it does not offer and what it `answers` instead.
 */
export const notOffered = (vendor: string, prefix: string, answers: string) => (req: Request) => {
  const { pathname } = new URL(req.url);
  const what = pathname.slice(prefix.length);
  return errorResponse(
    new AppError(
      "not_found",
      `Lectern's ${vendor}-compatible API does not offer ${req.method} ${what}: it answers ${answers}. See docs/switching.md.`,
    ),
    undefined,
    pathname,
  );
};
