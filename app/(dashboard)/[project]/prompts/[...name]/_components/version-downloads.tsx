import { encodePromptName } from "@/lib/registry/name-rules";
import type { VersionFileChoice } from "@/lib/registry/formats/version-files";

const described: Record<VersionFileChoice["format"], string> = {
  dotprompt: "for Genkit and the dotprompt library",
  "prompt.yml": "for GitHub Models (gh models eval)",
};

/** The shown version as a file, for anyone who may read the prompt; a format that cannot carry it says why. */
export function VersionDownloads({
  slug,
  prompt,
  version,
  choices,
}: {
  slug: string;
  prompt: string;
  version: number;
  choices: VersionFileChoice[];
}) {
  const href = (format: string) =>
    `/${slug}/download/${encodePromptName(prompt)}?version=${version}&format=${encodeURIComponent(format)}`;
  return (
    <section aria-labelledby="downloads-title" className="mt-4 border-t border-slate-200 pt-3 text-sm">
      <h3 id="downloads-title" className="font-medium text-slate-700">
        Download version {version}
      </h3>
      <ul className="mt-1 flex flex-col gap-1.5">
        {choices.map((c) => (
          <li key={c.format} data-testid={`download-${c.format}`}>
            {c.reason === undefined ? (
              <>
                <a href={href(c.format)} download={c.filename} className="font-medium text-blue-700 hover:underline">
                  {c.label} ({c.filename})
                </a>{" "}
                <span className="text-slate-600">{described[c.format]}</span>
                {c.warnings.map((w) => (
                  <p key={w} className="text-xs text-amber-800">
                    Note: {w}.
                  </p>
                ))}
              </>
            ) : (
              <span className="text-slate-600">
                {c.label}: not available for this version. {c.reason.replace(/^\.?[\w.]+: /, "")}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
