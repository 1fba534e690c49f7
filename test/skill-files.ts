// A small skill's files (SKILL.md, a reference, a script), for the skills' integration tests.

/** A SKILL.md for `name`, with its front matter and `body`. */
export const skillMd = (name: string, body = "Follow references/guide.md.\n") =>
  `---\nname: ${name}\ndescription: Answers support tickets about refunds.\n---\n# Refunds\n\n${body}`;

/** The skill "refunds": a CRLF line and a non-ASCII character in its guide, a script beside it. */
export const files = {
  "SKILL.md": skillMd("refunds"),
  "references/guide.md": "# Guide\n\nStep one.\r\nStep two: 100 €.\n",
  "scripts/check.py": "print('ok')\n",
};

/** The files of an answer that may be a skill's (its type says which). */
export const filesOf = (answer: unknown) => (answer as { files?: Record<string, string> }).files ?? {};
