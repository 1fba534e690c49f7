import Link from "next/link";
import type { Content } from "@/lib/registry/content";
import { MessageContent } from "./message-content";
import { isPlaceholder } from "@/lib/registry/content-model";
import { settingLabel, variableTraits } from "@/lib/registry/changes/describe";
import { highlightTemplate } from "@/lib/registry/templates/highlight";
import { plainValue } from "@/lib/registry/json";

const tagClass = {
  variable: "rounded bg-blue-50 px-0.5 font-semibold text-blue-800 ring-1 ring-inset ring-blue-200",
  section: "rounded bg-violet-50 px-0.5 font-semibold text-violet-800",
  partial: "rounded bg-teal-50 px-0.5 font-semibold text-teal-800 underline decoration-teal-300 underline-offset-2",
  comment: "italic text-slate-500",
} as const;

/** One template with its Mustache tags marked; included prompts link to their page. */
function Highlighted({ text, partialHref }: { text: string; partialHref?: (name: string) => string }) {
  if (!text) return <span className="italic text-slate-500">(empty)</span>;
  return (
    <>
      {highlightTemplate(text).map((s, i) => {
        if (s.kind === "text") return <span key={i}>{s.text}</span>;
        if (s.kind === "partial" && partialHref)
          return (
            <Link
              key={i}
              href={partialHref(s.name)}
              className={tagClass.partial}
              title={`Includes the prompt ${s.name}`}
            >
              {s.text}
            </Link>
          );
        return (
          <mark
            key={i}
            className={tagClass[s.kind]}
            data-variable={s.kind === "variable" ? s.name.split(".")[0] : undefined}
            title={s.kind === "variable" ? `Variable ${s.name}` : undefined}
          >
            {s.text}
          </mark>
        );
      })}
    </>
  );
}

const textBlock = "whitespace-pre-wrap break-words font-mono text-[13px] leading-relaxed text-slate-900";

/**
 * A version's content, read only: the template (or each message with its role) with variables
 * marked, then the variables applications send and the model settings. No editor needed to read it.
 */
export function PromptView({ content, partialHref }: { content: Content; partialHref?: (name: string) => string }) {
  const settings = Object.entries(content.config).filter(([, v]) => v !== undefined);
  if (content.type === "skill") return <SkillView files={content.files} />;
  return (
    <div className="flex flex-col gap-5" data-testid="prompt-content">
      {content.type === "text" ? (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-4">
          <p className={textBlock}>
            <Highlighted text={content.template} partialHref={partialHref} />
          </p>
        </div>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Messages">
          {content.template.map((m, i) =>
            isPlaceholder(m) ? (
              <li
                key={i}
                className="rounded-md border border-dashed border-slate-300 bg-white p-4"
                data-testid="prompt-message"
              >
                <p className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-600">
                  {i + 1}. placeholder
                </p>
                <p className="text-sm text-slate-700">
                  <code className="font-mono">{m.name}</code>: the messages the application passes under this name go
                  here.
                </p>
              </li>
            ) : (
              <li key={i} className="rounded-md border border-slate-200 bg-slate-50 p-4" data-testid="prompt-message">
                <p className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-600">
                  {i + 1}. {m.role}
                </p>
                <MessageContent
                  content={m.content}
                  text={(t) => (
                    <p className={textBlock}>
                      <Highlighted text={t} partialHref={partialHref} />
                    </p>
                  )}
                />
              </li>
            ),
          )}
        </ol>
      )}
      <div className="grid grid-cols-1 gap-5 md:grid-cols-2">
        <section aria-labelledby="prompt-variables">
          <h3 id="prompt-variables" className="text-sm font-semibold text-slate-900">
            Variables applications send
          </h3>
          {content.variables.length ? (
            <ul className="mt-2 flex flex-col gap-1.5 text-sm">
              {content.variables.map((v) => (
                <li key={v.name}>
                  <code className={`${tagClass.variable} font-mono text-xs`}>{v.name}</code>{" "}
                  <span className="text-slate-600">({variableTraits(v)})</span>
                  {v.description ? <span className="block text-xs text-slate-600">{v.description}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-600">None: the prompt is used as it is.</p>
          )}
        </section>
        <section aria-labelledby="prompt-settings">
          <h3 id="prompt-settings" className="text-sm font-semibold text-slate-900">
            Model settings
          </h3>
          {settings.length ? (
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              {settings.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-600">{settingLabel(k)}</dt>
                  <dd className="break-all font-mono text-xs leading-5 text-slate-900">{plainValue(v, 120)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="mt-1 text-sm text-slate-600">None set: the application chooses the model.</p>
          )}
          {content.examples.length ? (
            <p className="mt-2 text-sm text-slate-600">
              {content.examples.length} few-shot example{content.examples.length === 1 ? "" : "s"}.
            </p>
          ) : null}
        </section>
      </div>
    </div>
  );
}

/** A skill's files, read only: the folder agents install, SKILL.md first, each file as written. */
function SkillView({ files }: { files: Record<string, string> }) {
  const paths = Object.keys(files);
  return (
    <div className="flex flex-col gap-4" data-testid="prompt-content">
      <p className="text-sm text-slate-600">
        A skill: {paths.length} file{paths.length === 1 ? "" : "s"} agents install as a folder and read as written.
      </p>
      {paths.map((path) => (
        <section
          key={path}
          aria-label={`File ${path}`}
          className="rounded-md border border-slate-200 bg-slate-50"
          data-testid="skill-file"
        >
          <h3 className="border-b border-slate-200 px-4 py-2 font-mono text-xs font-semibold text-slate-800">{path}</h3>
          <pre className={`${textBlock} max-h-96 overflow-auto p-4`}>
            {files[path] || <span className="italic text-slate-500">(empty)</span>}
          </pre>
        </section>
      ))}
    </div>
  );
}
