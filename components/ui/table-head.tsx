import { ActionsTh, Th } from "./table";

/** A table's header row, one name a column; `actions` ends it with the header of a column of row actions. */
export function TableHead({ columns, actions = false }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <Th key={c}>{c}</Th>
        ))}
        {actions ? <ActionsTh /> : null}
      </tr>
    </thead>
  );
}
