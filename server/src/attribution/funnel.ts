// The funnel report: per campaign or ad for a date range — clicks (tracked-link clicks in range), chats (leads
// whose first message is in range), answered, median first response, qualified, converted, conversion value and
// rate — plus clicks and chats per day, and the CSV rendering. Aggregates only: must never read message bodies or
// contact identities. Whole-day ranges read the daily rollups (rollups.ts); other ranges aggregate the records.
import type { FunnelReport, FunnelRow } from '../../../shared/src/index.js';
import { mongoFunnelStore } from '../data/funnel.js';
import { isId, type Id } from '../data/ids.js';
import { dayOf } from './rollups.js';

const store = mongoFunnelStore;

const DAY = 86_400_000;
const ORGANIC = 'organic';

/** [from, to) from YYYY-MM-DD (whole UTC days, `to` inclusive) or ISO datetimes; default the last 30 days. */
export function funnelRange(from?: string, to?: string, now = new Date()): { from: Date; to: Date } {
  const day = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  const end = to
    ? day(to)
      ? new Date(Date.parse(`${to}T00:00:00Z`) + DAY)
      : new Date(to)
    : new Date(Math.floor(now.getTime() / DAY) * DAY + DAY);
  const start = from
    ? day(from)
      ? new Date(`${from}T00:00:00Z`)
      : new Date(from)
    : new Date(end.getTime() - 30 * DAY);
  return { from: start, to: end };
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const emptyRow = (key: string, label: string): FunnelRow => ({
  key,
  label,
  clicks: 0,
  chats: 0,
  answered: 0,
  medianFirstResponseSeconds: null,
  qualified: 0,
  converted: 0,
  conversionValue: 0,
  conversionRate: null,
});

interface Group {
  id: string | null;
  clicks: number;
  chats: number;
  answered: number;
  qualified: number;
  converted: number;
  value: number;
  frt: number[];
}
interface Gathered {
  groups: Group[];
  days: Array<{ date: string; chats: number; clicks: number }>;
}

const wholeDay = (s?: string) => s === undefined || /^\d{4}-\d{2}-\d{2}$/.test(s);

/** The report: from the daily rollups for whole-day ranges (fast), else straight from leads and clicks. */
export async function funnelReport(
  q: { from?: string; to?: string; groupBy: 'campaign' | 'ad' },
  source?: 'rollups' | 'raw',
): Promise<FunnelReport> {
  const range = funnelRange(q.from, q.to);
  const useRollups = source ? source === 'rollups' : wholeDay(q.from) && wholeDay(q.to);
  const g = useRollups ? await fromRollups(range, q.groupBy) : await fromRecords(range, q.groupBy);
  return finish(range, q.groupBy, g);
}

async function fromRollups(range: { from: Date; to: Date }, groupBy: 'campaign' | 'ad'): Promise<Gathered> {
  const docs = await store.daily(groupBy, dayOf(range.from), dayOf(range.to));
  const groups = new Map<string, Group>();
  const days = new Map<string, { date: string; chats: number; clicks: number }>();
  for (const d of docs) {
    let g = groups.get(d.key ?? '');
    if (!g)
      groups.set(
        d.key ?? '',
        (g = { id: d.key || null, clicks: 0, chats: 0, answered: 0, qualified: 0, converted: 0, value: 0, frt: [] }),
      );
    g.clicks += d.clicks ?? 0;
    g.chats += d.chats ?? 0;
    g.answered += d.answered ?? 0;
    g.qualified += d.qualified ?? 0;
    g.converted += d.converted ?? 0;
    g.value += d.value ?? 0;
    for (const x of d.frt ?? []) g.frt.push(x);
    let day = days.get(d.day);
    if (!day) days.set(d.day, (day = { date: d.day, chats: 0, clicks: 0 }));
    day.chats += d.chats ?? 0;
    day.clicks += d.clicks ?? 0;
  }
  return { groups: [...groups.values()], days: [...days.values()] };
}

async function fromRecords(range: { from: Date; to: Date }, groupBy: 'campaign' | 'ad'): Promise<Gathered> {
  const { from, to } = range;
  const { leadGroups, clickGroups, leadDays, clickDays } = await store.records(from, to, groupBy);
  const groups = new Map<string, Group>();
  const get = (id: Id | null) => {
    const k = id ? String(id) : '';
    let g = groups.get(k);
    if (!g)
      groups.set(
        k,
        (g = { id: id ? k : null, clicks: 0, chats: 0, answered: 0, qualified: 0, converted: 0, value: 0, frt: [] }),
      );
    return g;
  };
  for (const l of leadGroups) {
    Object.assign(get(l._id), {
      chats: l.chats,
      answered: l.answered,
      qualified: l.qualified,
      converted: l.converted,
      value: l.value,
    });
    get(l._id).frt = l.frt.filter((x): x is number => typeof x === 'number');
  }
  for (const c of clickGroups) get(c._id).clicks = c.clicks;
  const days = new Map<string, { date: string; chats: number; clicks: number }>();
  for (const d of leadDays) days.set(d._id, { date: d._id, chats: d.n, clicks: 0 });
  for (const d of clickDays) {
    const day = days.get(d._id) ?? { date: d._id, chats: 0, clicks: 0 };
    day.clicks = d.n;
    days.set(d._id, day);
  }
  return { groups: [...groups.values()], days: [...days.values()] };
}

async function finish(range: { from: Date; to: Date }, groupBy: 'campaign' | 'ad', g: Gathered): Promise<FunnelReport> {
  const { from, to } = range;
  const ids = g.groups.map((x) => x.id).filter((x): x is string => !!x && isId(x));
  const names = await store.names(groupBy, ids);
  const allFrt: number[] = [];
  const rows: FunnelRow[] = g.groups
    .filter((x) => x.clicks || x.chats)
    .map((x) => {
      allFrt.push(...x.frt);
      return {
        key: x.id ?? ORGANIC,
        label: x.id
          ? (names.get(x.id) ?? `(deleted ${groupBy})`)
          : groupBy === 'ad'
            ? 'No ad (organic or campaign only)'
            : 'Organic',
        clicks: x.clicks,
        chats: x.chats,
        answered: x.answered,
        medianFirstResponseSeconds: median(x.frt),
        qualified: x.qualified,
        converted: x.converted,
        conversionValue: x.value,
        conversionRate: x.chats ? x.converted / x.chats : null,
      };
    });
  rows.sort((a, b) => b.chats - a.chats || b.clicks - a.clicks || a.label.localeCompare(b.label));
  const totals = emptyRow('total', 'Total');
  for (const r of rows) {
    totals.clicks += r.clicks;
    totals.chats += r.chats;
    totals.answered += r.answered;
    totals.qualified += r.qualified;
    totals.converted += r.converted;
    totals.conversionValue += r.conversionValue;
  }
  totals.medianFirstResponseSeconds = median(allFrt);
  totals.conversionRate = totals.chats ? totals.converted / totals.chats : null;

  const days = new Map<string, { date: string; chats: number; clicks: number }>();
  for (let t = Math.floor(from.getTime() / DAY) * DAY; t < to.getTime() && days.size < 400; t += DAY) {
    const d = new Date(t).toISOString().slice(0, 10);
    days.set(d, { date: d, chats: 0, clicks: 0 });
  }
  for (const d of g.days) if (days.has(d.date)) Object.assign(days.get(d.date)!, { chats: d.chats, clicks: d.clicks });
  return { from: from.toISOString(), to: to.toISOString(), groupBy, rows, totals, perDay: [...days.values()] };
}

const CSV_COLUMNS: Array<keyof FunnelRow> = [
  'key',
  'label',
  'clicks',
  'chats',
  'answered',
  'medianFirstResponseSeconds',
  'qualified',
  'converted',
  'conversionValue',
  'conversionRate',
];

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? String(Math.round(v * 10000) / 10000) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // spreadsheet formula injection
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function funnelCsv(r: FunnelReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of [...r.rows, r.totals]) lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
