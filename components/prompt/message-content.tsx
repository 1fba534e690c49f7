// A message's content as the pages show it: text, or parts where images appear as a thumbnail (an image
// stored in the version), a link (an https: image, which the page does not load: the admin's browser
// only loads images from Lectern) or the variable that fills it in at render time.
import type { ReactNode } from "react";
import { describeImageUrl, type MessagePart } from "@/lib/registry/content-parts";

export function MessageContent({
  content,
  text,
}: {
  content: string | readonly MessagePart[];
  /** How a text piece is shown (highlighted template, plain pre, …). */
  text: (value: string, index: number) => ReactNode;
}) {
  if (typeof content === "string") return <>{text(content, 0)}</>;
  return (
    <div className="flex flex-col gap-2" data-testid="message-parts">
      {content.map((p, i) =>
        p.type === "text" ? <div key={i}>{text(p.text, i)}</div> : <ImageChip key={i} part={p} />,
      )}
    </div>
  );
}

// Drawn, not an emoji: headless and minimal systems have no emoji font.
const ImageIcon = () => (
  <svg aria-hidden viewBox="0 0 16 16" className="h-4 w-4 shrink-0 text-slate-500" fill="none" stroke="currentColor">
    <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
    <circle cx="5.5" cy="6" r="1.3" />
    <path d="M2 12l4-4 3 3 2-2 3 3" />
  </svg>
);

export function ImageChip({ part }: { part: Exclude<MessagePart, { type: "text" }> }) {
  const box = "flex items-center gap-2 rounded-md border border-slate-200 bg-white p-2 text-xs text-slate-700";
  if ("variable" in part)
    return (
      <p className={box} data-testid="image-part">
        <ImageIcon /> Image from variable <code className="font-mono">{`{{${part.variable}}}`}</code>
      </p>
    );
  if (part.url.startsWith("data:"))
    return (
      <figure className={box} data-testid="image-part">
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL: nothing for next/image to optimise */}
        <img src={part.url} alt="Image stored in this version" className="max-h-32 max-w-48 rounded border" />
        <figcaption>Stored image, {describeImageUrl(part.url).replace(/^data:/, "")}</figcaption>
      </figure>
    );
  return (
    <p className={box} data-testid="image-part">
      <ImageIcon /> Image at{" "}
      <a href={part.url} target="_blank" rel="noreferrer noopener" className="break-all text-blue-700 underline">
        {part.url}
      </a>
    </p>
  );
}
