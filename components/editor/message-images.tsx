"use client";
// The images of one chat message in the editor: each a URL (https:, or a file stored in the version as a
// data: URL of at most 512 KiB) or an image variable the application fills in at render time.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ImageChip } from "@/components/prompt/message-content";
import { ImageFileInput } from "@/components/prompt/image-value-input";
import { imageUrlProblem, maxStoredImageBytes } from "@/lib/registry/content-parts";
import { newKey, type ImageEdit } from "./state";
import { FormError } from "@/components/forms/form-error";

export function MessageImages({
  label,
  images,
  readOnly,
  onChange,
}: {
  label: string;
  images: ImageEdit[];
  readOnly: boolean;
  onChange: (images: ImageEdit[]) => void;
}) {
  const [problem, setProblem] = useState<string>();
  const set = (key: string, patch: Partial<ImageEdit>) =>
    onChange(images.map((im) => (im.key === key ? { ...im, ...patch } : im)));
  const upload = (file: File | undefined) => {
    if (!file) return;
    if (file.size > maxStoredImageBytes) {
      setProblem(
        `${file.name} is ${Math.round(file.size / 1024)} KiB; an image stored in a version may be at most ${maxStoredImageBytes / 1024} KiB. Use an https: URL for larger images.`,
      );
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      const why = imageUrlProblem(url, maxStoredImageBytes);
      setProblem(why ? `${file.name}: ${why}` : undefined);
      if (!why) onChange([...images, { key: newKey(), source: "url", value: url }]);
    };
    reader.readAsDataURL(file);
  };
  return (
    <div className="mt-2 flex flex-col gap-2" aria-label={`${label} images`} role="group">
      {images.map((im, j) => (
        <div key={im.key} className="flex flex-wrap items-center gap-2 text-sm" data-testid="image-draft">
          <span className="text-xs font-medium text-slate-700">Image {j + 1}</span>
          {im.source === "url" && im.value.startsWith("data:") ? (
            <ImageChip part={{ type: "image", url: im.value }} />
          ) : (
            <>
              <select
                aria-label={`${label} image ${j + 1} source`}
                value={im.source}
                disabled={readOnly}
                onChange={(e) => set(im.key, { source: e.target.value as ImageEdit["source"], value: "" })}
                className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
              >
                <option value="url">URL</option>
                <option value="variable">Image variable</option>
              </select>
              <input
                aria-label={`${label} image ${j + 1} ${im.source === "url" ? "URL" : "variable name"}`}
                value={im.value}
                readOnly={readOnly}
                placeholder={im.source === "url" ? "https://…" : "photo"}
                onChange={(e) => set(im.key, { value: e.target.value })}
                className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
              />
            </>
          )}
          {readOnly ? null : (
            <Button
              type="button"
              size="sm"
              variant="ghost"
              onClick={() => onChange(images.filter((x) => x.key !== im.key))}
              aria-label={`Remove ${label.toLowerCase()} image ${j + 1}`}
            >
              Remove
            </Button>
          )}
        </div>
      ))}
      {readOnly ? null : (
        <div className="flex flex-wrap items-center gap-2 text-xs text-slate-700">
          {(
            [
              ["url", "+ Image URL"],
              ["variable", "+ Image variable"],
            ] as const
          ).map(([source, text]) => (
            <Button
              key={source}
              type="button"
              size="sm"
              variant="ghost"
              onClick={() => onChange([...images, { key: newKey(), source, value: "" }])}
            >
              {text}
            </Button>
          ))}
          <label>
            Store an image file in this version (up to 512 KiB) <ImageFileInput label={label} onFile={upload} />
          </label>
        </div>
      )}
      <FormError message={problem} className="text-xs text-red-700" />
    </div>
  );
}
