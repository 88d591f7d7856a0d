// Marketer dashboard: Funnel (date range, campaign/ad grouping, funnel and per-day charts, sortable table, CSV
// download), Campaigns (campaigns and their ads), Links (tracked click-to-chat links with URL, QR code, clicks) and,
// for admins, the Conversions API outbox (dead letters, retry).
// Aggregates and ad data only: must never show message bodies or contact identities, and never invented figures.
import { useEffect, useState } from 'react';
import { roleCan, type FunnelReport, type Role } from '../../../shared/src/index.js';
import { api } from '../api/client.js';
import { attributionApi, funnelQuery } from '../api/attribution.js';
import { hrefFor, useHashRoute } from '../hooks/useHashRoute.js';
import { EmptyState } from '../components/EmptyState.js';
import { FunnelChart, PerDayChart } from '../components/attribution/FunnelCharts.js';
import { FunnelTable } from '../components/attribution/FunnelTable.js';
import { CampaignsPanel } from '../components/attribution/CampaignsPanel.js';
import { LinksPanel } from '../components/attribution/LinksPanel.js';
import { CapiOutboxPanel } from '../components/attribution/CapiOutboxPanel.js';
import { formatMinor } from '../components/attribution/FunnelTable.js';

const TABS = [
  { path: '/dashboard', label: 'Funnel' },
  { path: '/dashboard/campaigns', label: 'Campaigns' },
  { path: '/dashboard/links', label: 'Links' },
  { path: '/dashboard/conversions', label: 'Conversions API', adminOnly: true },
] as const;

const day = (d: Date) => d.toISOString().slice(0, 10);

function Funnel() {
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 29 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const [groupBy, setGroupBy] = useState<'campaign' | 'ad'>('campaign');
  const [report, setReport] = useState<FunnelReport | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    if (!from || !to || from > to) return;
    attributionApi.funnel({ from, to, groupBy }).then(
      (r) => live && (setReport(r), setFailed(false)),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [from, to, groupBy]);

  const t = report?.totals;
  return (
    <section aria-label="Funnel" className="dashboard">
      <div className="dashboard-controls">
        <label>
          From <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Group by{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as 'campaign' | 'ad')}>
            <option value="campaign">Campaign</option>
            <option value="ad">Ad</option>
          </select>
        </label>
        <a className="btn" href={funnelQuery({ from, to, groupBy }, 'csv')} download data-testid="funnel-csv">
          Download CSV
        </a>
      </div>
      {failed ? <p role="alert">The funnel could not be loaded.</p> : null}
      {!report ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="kpis" data-testid="funnel-totals">
            <div>
              <dt>Clicks</dt>
              <dd data-testid="kpi-clicks">{t!.clicks}</dd>
            </div>
            <div>
              <dt>Chats</dt>
              <dd data-testid="kpi-chats">{t!.chats}</dd>
            </div>
            <div>
              <dt>Answered</dt>
              <dd>{t!.answered}</dd>
            </div>
            <div>
              <dt>Conversions</dt>
              <dd data-testid="kpi-converted">{t!.converted}</dd>
            </div>
            <div>
              <dt>Conversion value</dt>
              <dd data-testid="kpi-value">{formatMinor(t!.conversionValue)}</dd>
            </div>
          </dl>
          {t!.chats === 0 && t!.clicks === 0 ? (
            <EmptyState title="No clicks or chats in this range" icon="▤">
              <p>Share a tracked link or run a click-to-chat ad; results appear here as chats start.</p>
            </EmptyState>
          ) : (
            <div className="dashboard-charts">
              <FunnelChart totals={t!} />
              <PerDayChart days={report.perDay} />
            </div>
          )}
          <FunnelTable rows={report.rows} groupBy={groupBy} />
        </>
      )}
    </section>
  );
}

export function DashboardPage() {
  const path = useHashRoute();
  const [role, setRole] = useState<Role | null>(null);
  useEffect(() => {
    void api.me({ quiet: true }).then(
      (me) => setRole(me?.user.role ?? null),
      () => setRole(null),
    );
  }, []);
  const canManage = role ? roleCan(role, 'campaigns:manage') : false;
  const canIntegrations = role ? roleCan(role, 'integrations:manage') : false;
  return (
    <>
      <header className="page-header">
        <h1>Dashboard</h1>
        <nav className="tabs" aria-label="Dashboard">
          {TABS.filter((tab) => !('adminOnly' in tab) || canIntegrations).map((tab) => (
            <a key={tab.path} href={hrefFor(tab.path)} aria-current={path === tab.path ? 'page' : undefined}>
              {tab.label}
            </a>
          ))}
        </nav>
      </header>
      {path === '/dashboard/campaigns' ? (
        <CampaignsPanel canManage={canManage} />
      ) : path === '/dashboard/links' ? (
        <LinksPanel canManage={canManage} />
      ) : path === '/dashboard/conversions' && canIntegrations ? (
        <CapiOutboxPanel />
      ) : (
        <Funnel />
      )}
    </>
  );
}
