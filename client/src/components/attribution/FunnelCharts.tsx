// Dashboard charts (recharts): the funnel (clicks → chats → answered → qualified → converted) and clicks/chats per
// day. Renders only the figures it is given; must never invent or smooth data.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { FunnelReport, FunnelRow } from '../../../../shared/src/index.js';

export function FunnelChart(props: { totals: FunnelRow }) {
  const t = props.totals;
  const data = [
    { stage: 'Clicks', n: t.clicks },
    { stage: 'Chats', n: t.chats },
    { stage: 'Answered', n: t.answered },
    { stage: 'Qualified', n: t.qualified },
    { stage: 'Converted', n: t.converted },
  ];
  return (
    <figure className="chart" data-testid="funnel-chart">
      <figcaption>Funnel</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} layout="vertical" margin={{ left: 24, right: 24 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="stage" width={80} />
          <Tooltip />
          <Bar dataKey="n" name="Count" fill="#0b7a5a" isAnimationActive={false} label={{ position: 'right' }} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function PerDayChart(props: { days: FunnelReport['perDay'] }) {
  return (
    <figure className="chart" data-testid="per-day-chart">
      <figcaption>Clicks and chats per day</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={props.days} margin={{ left: 0, right: 24 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} minTickGap={16} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Line type="linear" dataKey="clicks" name="Clicks" stroke="#6b7fd7" dot={false} isAnimationActive={false} />
          <Line type="linear" dataKey="chats" name="Chats" stroke="#0b7a5a" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
