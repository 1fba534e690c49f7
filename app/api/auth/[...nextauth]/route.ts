// next-auth 4 sign-in endpoints (credentials, and OIDC/GitHub when configured).
import { otherMethods } from "@/lib/server/http/api";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/server/wiring/auth";

const handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(req as never, ctx as never, authOptions());
export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
