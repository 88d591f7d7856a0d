// The thread's right-hand panel: the contact as the role may see it (handle, display name, masked number),
// consent badges, channel, the ad that started the chat (headline, source link, creative, click time) and the
// current lead stage. On narrow screens it is a drawer or a stacked view (open/onClose) with a back button that
// takes focus when it opens; Escape closes it. Must never show the real number or provider ids, must never link to anything but
// http(s) (customer/provider data), and must never offer lead actions that do not work.
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { Attribution, Conversation } from '../../../../shared/src/index.js';
import { formatDateTime, formatRelative } from '../../format.js';
import { displayUrl, safeUrl } from '../../safe-url.js';
import { ConsentSection } from '../compliance/ConsentSection.js';
import { ContactPrivacy } from '../compliance/ContactPrivacy.js';
import { AdCampaign } from '../attribution/AdCampaign.js';
import { LeadStageButtons } from '../attribution/LeadStageButtons.js';

const SOURCE_LABELS: Record<Attribution['source'], string> = {
  ctwa: 'Click-to-WhatsApp ad',
  ctm: 'Click-to-Messenger ad',
  link: 'Tracked link',
  organic: 'Organic',
};
const STAGE_LABELS: Record<NonNullable<Conversation['lead']>['stage'], string> = {
  new: 'New lead',
  answered: 'Answered',
  qualified: 'Qualified',
  converted: 'Converted',
  lost: 'Lost',
};

function AdCard(props: { attribution: Attribution }) {
  const a = props.attribution;
  const [imageBroken, setImageBroken] = useState(false);
  const source = safeUrl(a.sourceUrl);
  const media = safeUrl(a.mediaUrl);
  return (
    <section className="ad-card" aria-label="Ad source" data-testid="ad-card">
      <div className="ad-card-kicker">{SOURCE_LABELS[a.source]}</div>
      {media && !imageBroken ? (
        <img
          className="ad-card-media"
          src={media}
          alt="Ad creative"
          loading="lazy"
          onError={() => setImageBroken(true)}
        />
      ) : null}
      <div className="ad-card-body">
        <div className="ad-card-headline">
          {a.headline ?? (a.source === 'link' ? 'Tracked link' : 'Ad without a headline')}
        </div>
        {source ? (
          <a className="ad-card-link" href={source} target="_blank" rel="noopener noreferrer">
            {displayUrl(source)}
          </a>
        ) : null}
        <dl className="ad-card-facts">
          {a.clickedAt ? (
            <>
              <dt>Clicked</dt>
              <dd title={formatDateTime(a.clickedAt)}>{formatRelative(a.clickedAt)}</dd>
            </>
          ) : null}
          {a.adId ? (
            <>
              <dt>Ad id</dt>
              <dd className="cell-mono">{a.adId}</dd>
            </>
          ) : null}
          <dt>Click id</dt>
          <dd>{a.hasClickId ? 'Recorded' : 'None'}</dd>
        </dl>
      </div>
    </section>
  );
}

interface PanelProps {
  conversation: Conversation;
  channelName: string;
  /** Shown as a drawer / stacked view (narrow screens; wide screens always show the panel). */
  open: boolean;
  onClose(): void;
}

export function ContactPanel(props: PanelProps) {
  const { contact, attribution, lead } = props.conversation;
  const { open, onClose } = props;
  const closeRef = useRef<HTMLButtonElement>(null);
  const close = useEffectEvent(() => onClose());

  useEffect(() => {
    if (!open) return;
    closeRef.current?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <aside
      className={`contact-panel${open ? ' contact-panel-open' : ''}`}
      id="contact-panel"
      aria-label="Contact"
      data-testid="contact-panel"
    >
      <div className="contact-panel-bar">
        <button type="button" className="btn btn-small btn-ghost" ref={closeRef} onClick={onClose}>
          ← Back to conversation
        </button>
      </div>
      <section className="panel-section">
        <div className="contact-avatar" aria-hidden="true">
          {(contact.displayName ?? contact.handle).trim().charAt(0).toUpperCase() || '?'}
        </div>
        <div className="contact-name">{contact.displayName ?? contact.handle}</div>
        <dl className="facts">
          <dt>Handle</dt>
          <dd data-testid="contact-handle">{contact.handle}</dd>
          <dt>Name</dt>
          <dd>{contact.displayName ?? <span className="muted">Not shared</span>}</dd>
          <dt>Phone</dt>
          <dd>{contact.maskedPhone ?? contact.maskedUsername ?? <span className="muted">Hidden</span>}</dd>
          <dt>Channel</dt>
          <dd>{props.channelName}</dd>
        </dl>
      </section>
      <ConsentSection contactId={contact.id} consent={contact.consent} />
      <ContactPrivacy contactId={contact.id} />
      <section className="panel-section">
        <h3 className="panel-title">Source</h3>
        {attribution && attribution.source !== 'organic' ? (
          <>
            <AdCard attribution={attribution} />
            <AdCampaign attribution={attribution} />
          </>
        ) : (
          <p className="muted">Organic — not started from an ad or tracked link.</p>
        )}
      </section>
      <section className="panel-section">
        <h3 className="panel-title">Lead</h3>
        {lead ? (
          <p>
            <span className={`chip chip-lead-${lead.stage}`}>{STAGE_LABELS[lead.stage]}</span>
          </p>
        ) : (
          <p className="muted">No lead stage recorded.</p>
        )}
        <LeadStageButtons conversationId={props.conversation.id} lead={lead} />
      </section>
    </aside>
  );
}
