// A skill as resolve answers it (type "skill", its files, no template): told apart from a prompt's answer.

export type SkillResponse = {
  name: string;
  version: number;
  environment: string;
  type: "skill";
  files: Record<string, string>;
  liveSince: string | null;
};

export const looksSkill = (body: unknown): body is SkillResponse => {
  const b = body as Partial<SkillResponse> | null;
  return (
    typeof b === "object" &&
    b !== null &&
    b.type === "skill" &&
    typeof b.name === "string" &&
    typeof b.version === "number" &&
    typeof b.files === "object" &&
    b.files !== null &&
    Object.values(b.files).every((t) => typeof t === "string")
  );
};
