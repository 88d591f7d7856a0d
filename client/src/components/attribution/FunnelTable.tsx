// The funnel table: one row per campaign or ad, sortable by any column (click a header; again to reverse).
// Values are shown as the API computed them. Must never show contact data.
import { useState } from 'react';
import type { FunnelRow } from '../../../../shared/src/index.js';

type Col = Exclude<keyof FunnelRow, 'key'>;
const COLUMNS: Array<{ key: Col; label: string; numeric: boolean }> = [
  { key: 'label', label: 'Name', numeric: false },
  { key: 'clicks', label: 'Clicks', numeric: true },
  { key: 'chats', label: 'Chats', numeric: true },
  { key: 'answered', label: 'Answered', numeric: true },
  { key: 'medianFirstResponseSeconds', label: 'Median first response', numeric: true },
  { key: 'qualified', label: 'Qualified', numeric: true },
  { key: 'converted', label: 'Converted', numeric: true },
  { key: 'conversionValue', label: 'Value', numeric: true },
  { key: 'conversionRate', label: 'Conv. rate', numeric: true },
];

export const formatMinor = (v: number) =>
  (v / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
function formatSeconds(s: number | null): string {
  if (s === null) return '—';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
function cell(col: Col, r: FunnelRow): string {
  const v = r[col];
  if (col === 'medianFirstResponseSeconds') return formatSeconds(v as number | null);
  if (col === 'conversionValue') return formatMinor(v as number);
  if (col === 'conversionRate') return v === null ? '—' : `${Math.round((v as number) * 1000) / 10}%`;
  return String(v);
}

export function FunnelTable(props: { rows: FunnelRow[]; groupBy: 'campaign' | 'ad' }) {
  const [sort, setSort] = useState<{ col: Col; desc: boolean }>({ col: 'chats', desc: true });
  const rows = [...props.rows].sort((a, b) => {
    const x = a[sort.col];
    const y = b[sort.col];
    const c =
      typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : (x ?? -1) - (y ?? -1);
    return sort.desc ? -c : c;
  });
  if (!rows.length) return null;
  return (
    <div className="table-scroll">
      <table className="table funnel-table" data-testid="funnel-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.numeric ? 'num' : undefined}
                aria-sort={sort.col === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  className="th-sort"
                  onClick={() => setSort((s) => ({ col: c.key, desc: s.col === c.key ? !s.desc : c.numeric }))}
                >
                  {c.key === 'label' ? (props.groupBy === 'ad' ? 'Ad' : 'Campaign') : c.label}
                  {sort.col === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              {COLUMNS.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {cell(c.key, r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
