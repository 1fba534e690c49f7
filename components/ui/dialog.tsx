"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

const widths = { md: "max-w-lg", lg: "max-w-3xl", xl: "max-w-6xl" } as const;

/**
 * A modal built on <dialog>: the browser traps focus, closes on Escape and restores focus to the
 * opener. Children mount only while open, so heavy content (diff editors) costs nothing when closed.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  size?: keyof typeof widths;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  // A dialog with nothing to say beyond its title (a confirmation) has no body: an empty one was a blank band
  // between the title and the buttons.
  const body = children !== undefined && children !== null && children !== false && children !== "";
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onClose={onClose}
      className={`m-auto w-[calc(100vw-2rem)] ${widths[size]} rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40`}
    >
      {open ? (
        <div className="flex max-h-[85vh] flex-col">
          <div
            className={`flex items-start justify-between gap-4 px-5 py-4 ${body ? "border-b border-slate-100" : ""}`}
          >
            <div>
              <h2 id={titleId} className="text-lg font-semibold">
                {title}
              </h2>
              {description ? (
                <p id={descId} className="mt-1 text-sm text-slate-600">
                  {description}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              className="rounded-md px-2 py-1 text-slate-500 hover:bg-slate-100"
              aria-label="Close"
            >
              ✕
            </button>
          </div>
          {body ? <div className="flex-1 overflow-y-auto px-5 py-4">{children}</div> : null}
          {footer ? (
            <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 px-5 py-3">{footer}</div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
