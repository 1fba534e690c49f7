// Runs before routing (Next 16 "proxy", formerly middleware): refuses TRACE, URLs that cannot be decoded
// before Next's router fails on them with a 500, sets a per-request CSP nonce on pages, and refuses
// server actions posted from another origin with a 403 (Next's own check answers 500).
import { NextResponse, type NextRequest } from "next/server";
import { AppError, errorBodyFor } from "@/lib/errors";
import { assertSafeQuery, decodePath } from "@/lib/input-safety";
import { contentSecurityPolicy, isForeignOrigin } from "@/lib/server/http/headers";

function refuse(req: NextRequest, err: AppError) {
  if (req.nextUrl.pathname.startsWith("/api/"))
    return NextResponse.json(errorBodyFor(req.nextUrl.pathname, err), { status: err.status });
  return new NextResponse(err.message, {
    status: err.status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

// Methods no route takes: Next answered TRACE with a 500 and a stack trace in the log.
const unserved = new Set(["TRACE", "TRACK", "CONNECT"]);

export function proxy(req: NextRequest) {
  if (unserved.has(req.method))
    return refuse(req, new AppError("method_not_allowed", `${req.method} is not supported by Lectern.`));
  const raw = new URL(req.url);
  try {
    if (raw.pathname.includes("%")) decodePath(raw.pathname);
    if (raw.search) assertSafeQuery(raw.searchParams);
  } catch (e) {
    if (e instanceof AppError) return refuse(req, e);
    throw e;
  }
  if (raw.pathname.startsWith("/api/")) return NextResponse.next();

  if (req.method === "POST" && req.headers.has("next-action") && isForeignOrigin(req.headers))
    return refuse(req, new AppError("forbidden", "This action was posted from another site and was refused."));

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  // Lets a page that requires sign-in send the visitor back here afterwards (lib/server/wiring/session.ts).
  headers.set("x-lectern-path", raw.pathname + raw.search);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  // Not the runtime hot paths (they validate their own input and must stay cheap), nor static files,
  // nor snapshot import: Next buffers a body for the proxy only up to 10 MB, a snapshot may be larger.
  matcher: [
    "/((?!_next/static|_next/image|monaco/|scalar/|favicon\\.ico|icon\\.svg|api/v1/prompts/resolve$|api/v1/events$|api/v1/snapshot$).*)",
  ],
};
