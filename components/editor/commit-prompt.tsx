"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/**
 * Asked when a version is saved without a commit message: the message starts as a suggestion read
 * from the changes; saving with no message at all takes its own, explicit button.
 */
export function CommitPrompt({
  suggestion,
  onSave,
  onClose,
}: {
  suggestion: string;
  onSave: (message: string) => void;
  onClose: () => void;
}) {
  const [message, setMessage] = useState(suggestion);
  const input = useRef<HTMLInputElement>(null);
  // After the dialog has opened (its own effect runs first and focuses its first button).
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <Dialog
      open
      onClose={onClose}
      title="Describe this version"
      description="A commit message tells reviewers and your future self what changed and why. We suggest one from your changes: keep it, edit it, or write your own."
      footer={
        <>
          <Button type="button" variant="ghost" onClick={() => onSave("")}>
            Save without a message
          </Button>
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="commit-prompt-form" disabled={!message.trim()}>
            Save with this message
          </Button>
        </>
      }
    >
      <form
        id="commit-prompt-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (message.trim()) onSave(message.trim());
        }}
        className="flex flex-col gap-1"
      >
        <label htmlFor="commit-prompt-message" className="text-sm font-medium text-slate-700">
          Commit message
        </label>
        <input
          id="commit-prompt-message"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={1000}
          ref={input}
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        {suggestion ? (
          <p className="text-xs text-slate-600">
            Suggested from the changes: <span className="font-medium text-slate-800">{suggestion}</span>
            {message !== suggestion ? (
              <>
                {" "}
                <button type="button" className="text-brand-700 underline" onClick={() => setMessage(suggestion)}>
                  Use the suggestion
                </button>
              </>
            ) : null}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
