// Marketing dashboard placeholder until attribution lands. Must never show invented figures or charts.
import { EmptyState } from '../components/EmptyState.js';

export function DashboardPage() {
  return (
    <>
      <header className="page-header">
        <h1>Dashboard</h1>
      </header>
      <EmptyState title="No figures yet" icon="▤">
        <p>The dashboard arrives with ad attribution.</p>
        <p className="muted">
          The lead funnel and campaign results will be measured from real conversations; nothing is shown until there is
          data to measure.
        </p>
      </EmptyState>
    </>
  );
}
