// Typed calls for attribution and marketing: campaigns, ads, tracked links, the funnel (JSON + CSV URL) and lead
// stage changes. Must never request message bodies or contact identities (marketers use these screens).
import {
  AdViewSchema,
  CampaignListResponseSchema,
  CampaignViewSchema,
  FunnelReportSchema,
  LeadStageResultSchema,
  LinkListResponseSchema,
  LinkViewSchema,
  type CampaignInput,
  type LeadStageInput,
  type LinkInput,
} from '../../../shared/src/index.js';
import { request } from './client.js';

export function funnelQuery(p: { from: string; to: string; groupBy: 'campaign' | 'ad' }, format?: 'csv'): string {
  const q = new URLSearchParams({ from: p.from, to: p.to, groupBy: p.groupBy });
  if (format) q.set('format', format);
  return `/api/analytics/funnel?${q.toString()}`;
}

export const attributionApi = {
  campaigns: () => request('GET', '/api/campaigns', undefined, CampaignListResponseSchema).then((r) => r.items),
  campaign: (id: string) =>
    request('GET', `/api/campaigns/${encodeURIComponent(id)}`, undefined, CampaignViewSchema, { quiet: true }),
  createCampaign: (body: CampaignInput) => request('POST', '/api/campaigns', body, CampaignViewSchema),
  createAd: (
    campaignId: string,
    body: { name: string; externalId?: string; headline?: string; creativeUrl?: string },
  ) => request('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/ads`, body, AdViewSchema),
  links: () => request('GET', '/api/links', undefined, LinkListResponseSchema).then((r) => r.items),
  createLink: (body: LinkInput) => request('POST', '/api/links', body, LinkViewSchema),
  funnel: (p: { from: string; to: string; groupBy: 'campaign' | 'ad' }) =>
    request('GET', funnelQuery(p), undefined, FunnelReportSchema),
  setLeadStage: (conversationId: string, body: LeadStageInput) =>
    request('POST', `/api/conversations/${encodeURIComponent(conversationId)}/lead`, body, LeadStageResultSchema),
};
