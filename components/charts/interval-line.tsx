import { ErrorBar, Line } from "recharts";
import { seriesColors } from "./chart-utils";

/**
 * One series drawn as a line, with its 95% intervals as error bars, in the colour of the `index`-th series.
 * A function, not a component: the chart reads its `Line` children directly.
 */
export function intervalLine({
  dataKey,
  name,
  errorKey,
  index,
}: {
  dataKey: string;
  name: string;
  errorKey: string;
  index: number;
}) {
  const color = seriesColors[(index + 1) % seriesColors.length];
  return (
    <Line
      key={dataKey}
      type="linear"
      dataKey={dataKey}
      name={name}
      stroke={color}
      strokeWidth={1.5}
      dot={{ r: 3, fill: color }}
      connectNulls
      isAnimationActive={false}
    >
      <ErrorBar dataKey={errorKey} width={4} strokeWidth={1} stroke={color} />
    </Line>
  );
}
