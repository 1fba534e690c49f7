/** Under a page's header: why this user may only read the page (`blocked`, after `prefix`); nothing when they may act. */
export function BlockedNotice({ blocked, prefix = "" }: { blocked: string | null; prefix?: string }) {
  return blocked ? (
    <p className="mt-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
      {prefix}
      {blocked}
    </p>
  ) : null;
}
