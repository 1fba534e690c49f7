import { describe, expect, it } from "vitest";
import { emailDomain, refusalMessages, signInErrorMessage } from "./sso";

describe("signInErrorMessage", () => {
  it.each([
    [undefined, undefined, undefined],
    ["", undefined, undefined],
    ["CredentialsSignin", undefined, "Wrong email or password."],
    ["AccessDenied", "domain", refusalMessages.domain],
    ["AccessDenied", "unverified_email", refusalMessages.unverified_email],
    ["AccessDenied", "disabled", refusalMessages.disabled],
    ["AccessDenied", "no_email", refusalMessages.no_email],
    ["AccessDenied", "ambiguous_email", refusalMessages.ambiguous_email],
    [
      "AccessDenied",
      undefined,
      "Your sign-in was refused. Ask an administrator whether your account may sign in to this Lectern.",
    ],
    [
      "AccessDenied",
      "toString",
      "Your sign-in was refused. Ask an administrator whether your account may sign in to this Lectern.",
    ],
    ["OAuthCallback", undefined, "Sign-in failed; try again."],
  ])("error=%s reason=%s", (error, reason, message) => {
    expect(signInErrorMessage(error, reason)).toBe(message);
  });
});

describe("emailDomain", () => {
  it("is the lower-cased part after the last @", () => {
    expect(emailDomain("Ann@Acme.COM")).toBe("acme.com");
    expect(emailDomain('"a@b"@acme.com')).toBe("acme.com");
  });
});
