// The billing view of the funnel: per campaign (or organic), how many outbound messages WhatsApp billed and how
// many it sent free, per pricing category, for a date range (the same range rules as the funnel). Aggregates only:
// must never read message bodies or contact identities.
import type { BillingReport } from '../../../shared/src/index.js';
import { mongoBillingStore, type BillingStore } from '../data/billing.js';
import { funnelRange } from './funnel.js';

export async function billingReport(
  q: { from?: string; to?: string },
  store: BillingStore = mongoBillingStore,
): Promise<BillingReport> {
  const { from, to } = funnelRange(q.from, q.to);
  const counts = await store.countsByCampaign(from, to);
  const names = await store.campaignNames([...new Set(counts.flatMap((c) => (c.campaignId ? [c.campaignId] : [])))]);
  const rows = new Map<string, BillingReport['rows'][number]>();
  for (const c of counts) {
    const key = c.campaignId ?? '';
    const row = rows.get(key) ?? {
      campaignId: c.campaignId,
      label: c.campaignId ? (names.get(c.campaignId) ?? c.campaignId) : 'Organic',
      categories: {},
      billable: 0,
      free: 0,
    };
    const cat = (row.categories[c.category] ??= { billable: 0, free: 0 });
    cat.billable += c.billable;
    cat.free += c.free;
    row.billable += c.billable;
    row.free += c.free;
    rows.set(key, row);
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    rows: [...rows.values()].sort((a, b) => b.billable + b.free - (a.billable + a.free)),
  };
}
