import { Skeleton } from "@/components/ui/skeleton";

/** The editing page while it loads, shaped like it: title, save bar, template editor with its gutter, and the side panels. */
export function WorkspaceSkeleton({ label = "Loading the editor…" }: { label?: string }) {
  const widths = ["w-3/4", "w-1/2", "w-5/6", "w-2/3", "w-1/3", "w-4/5", "w-3/5", "w-1/2"];
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4">
      <span className="sr-only">{label}</span>
      <div className="flex flex-col gap-2">
        <Skeleton className="h-4 w-40" />
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-4 w-[28rem] max-w-full" />
      </div>
      <div className="-mx-4 flex items-end gap-3 border-b border-slate-200 bg-white px-4 py-3">
        <div className="flex flex-1 flex-col gap-1">
          <Skeleton className="h-3 w-28" />
          <Skeleton className="h-9" />
        </div>
        <Skeleton className="h-9 w-40" />
      </div>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-12">
        <div className="flex flex-col gap-4 lg:col-span-7">
          <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
            <div className="flex justify-between border-b border-slate-100 px-4 py-2.5">
              <Skeleton className="h-4 w-20" />
              <Skeleton className="h-3 w-48" />
            </div>
            <div className="p-4">
              <div
                className="flex h-56 flex-col gap-[9px] rounded-md border border-slate-300 bg-white px-2 pt-2"
                aria-hidden
              >
                {widths.map((w, i) => (
                  <div key={i} className="flex items-center gap-3">
                    <span className="w-5 text-right font-mono text-[11px] leading-[10px] text-slate-300">{i + 1}</span>
                    <span className={`h-2.5 animate-pulse rounded bg-slate-200/80 ${w}`} />
                  </div>
                ))}
              </div>
            </div>
          </div>
          <Skeleton className="h-40" />
        </div>
        <div className="flex flex-col gap-4 lg:col-span-5">
          <Skeleton className="h-56" />
          <Skeleton className="h-44" />
        </div>
      </div>
    </div>
  );
}
