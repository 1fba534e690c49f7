"use client";
// An image variable's value in the playground and "Try it": an https: URL typed in, or a file read into a
// data: URL in the browser (checked as the server checks it, so a wrong file is named before any call).
import { useState } from "react";
import { Textarea } from "@/components/ui/textarea";
import { describeImageUrl, imageUrlProblem, maxImageBytes } from "@/lib/registry/content-parts";
import { FormError } from "@/components/forms/form-error";

export function ImageValueInput({
  id,
  label,
  value,
  hint,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  hint?: string;
  onChange: (value: string) => void;
}) {
  const [problem, setProblem] = useState<string>();
  const isData = value.startsWith("data:");
  const pick = (file: File | undefined) => {
    if (!file) return;
    if (file.size > maxImageBytes) {
      setProblem(`${file.name} is ${Math.round(file.size / 1024)} KiB, over the limit of ${maxImageBytes / 1024} KiB`);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      const why = imageUrlProblem(url, maxImageBytes);
      setProblem(why ? `${file.name}: ${why}` : undefined);
      if (!why) onChange(url);
    };
    reader.readAsDataURL(file);
  };
  return (
    <div className="flex flex-col gap-1.5">
      {isData ? (
        <div className="flex items-center gap-2 text-sm">
          <span className="font-medium text-slate-800">{label}</span>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL from the user's own file */}
          <img src={value} alt={`${label}: the chosen image`} className="max-h-20 rounded border" />
          <span className="text-xs text-slate-600">{describeImageUrl(value).replace(/^data:/, "")}</span>
          <button type="button" className="text-xs text-blue-700 underline" onClick={() => onChange("")}>
            Clear
          </button>
        </div>
      ) : (
        <Textarea
          label={label}
          id={id}
          rows={1}
          value={value}
          placeholder="https://… (an image URL), or choose a file below"
          onValue={onChange}
          hint={hint}
        />
      )}
      <label className="text-xs text-slate-700">
        <span className="sr-only">{label}: </span>Choose an image file (PNG, JPEG, GIF or WebP, up to 5 MiB){" "}
        <ImageFileInput label={label} onFile={pick} />
      </label>
      <FormError message={problem} className="text-xs text-red-700" />
    </div>
  );
}

/** The file picker for an image (PNG, JPEG, GIF or WebP), named after the field it fills. */
export function ImageFileInput({ label, onFile }: { label: string; onFile: (file: File | undefined) => void }) {
  return (
    <input
      type="file"
      accept="image/png,image/jpeg,image/gif,image/webp"
      aria-label={`${label} image file`}
      onChange={(e) => onFile(e.target.files?.[0])}
      className="text-xs"
    />
  );
}
