// Under the conversation's ad card: the campaign the chat is attributed to and the time since the click.
// Campaign names are fetched once per id and cached for the page's life. Must never show click ids or PSIDs.
import { useEffect, useState } from 'react';
import type { Attribution } from '../../../../shared/src/index.js';
import { attributionApi } from '../../api/attribution.js';
import { formatDateTime, formatRelative } from '../../format.js';

const names = new Map<string, Promise<string | null>>();
function campaignName(id: string): Promise<string | null> {
  let p = names.get(id);
  if (!p) {
    p = attributionApi.campaign(id).then(
      (c) => c.name,
      () => null,
    );
    names.set(id, p);
  }
  return p;
}

export function AdCampaign(props: { attribution: Attribution }) {
  const { campaignId, clickedAt } = props.attribution;
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    if (campaignId) void campaignName(campaignId).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [campaignId]);
  if (!campaignId && !clickedAt) return null;
  return (
    <p className="ad-campaign" data-testid="ad-campaign">
      {campaignId ? (
        <>
          Campaign <strong>{name ?? '…'}</strong>
        </>
      ) : null}
      {campaignId && clickedAt ? ' · ' : null}
      {clickedAt ? <span title={formatDateTime(clickedAt)}>clicked {formatRelative(clickedAt)}</span> : null}
    </p>
  );
}
