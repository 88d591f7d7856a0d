// One message of a thread: customer bubbles left, business bubbles right, private notes in yellow, system lines
// centered; media (images inline, other files as download links); delivery ticks for outbound messages with
// the reason when failed, held or blocked (the held mark is an inline SVG: Debian's Chromium fonts have no ⏸ glyph).
// Must never render message text as HTML (React text only) and must
// never link to anything but the media URL the server gave.
import { useState, type ReactNode } from 'react';
import type { Message } from '../../../../shared/src/index.js';
import { formatDateTime, formatTime } from '../../format.js';
import { safeUrl } from '../../safe-url.js';
import { MessageText } from './MessageText.js';

/** A pause mark drawn as SVG, so it renders whatever fonts the browser has. */
const HELD_ICON = (
  <svg className="tick-svg" width="11" height="11" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
    <rect x="2" y="1.5" width="2.8" height="9" rx="0.8" fill="currentColor" />
    <rect x="7.2" y="1.5" width="2.8" height="9" rx="0.8" fill="currentColor" />
  </svg>
);

const TICKS: Record<Message['status'], { icon: ReactNode; label: string } | null> = {
  received: null,
  queued: { icon: '◷', label: 'Queued' },
  sent: { icon: '✓', label: 'Sent' },
  delivered: { icon: '✓✓', label: 'Delivered' },
  read: { icon: '✓✓', label: 'Read' },
  failed: { icon: '⚠', label: 'Failed' },
  held: { icon: HELD_ICON, label: 'Held for review' },
  blocked: { icon: '⊘', label: 'Blocked' },
};

/** Plain-language fallback when a failed/held/blocked message came without a reason. */
const DEFAULT_REASON: Partial<Record<Message['status'], string>> = {
  failed: 'The channel could not deliver this message.',
  held: 'A supervisor must approve this message before it is sent.',
  blocked: 'This message was blocked by the outbound policy and was not sent.',
};

function Ticks(props: { message: Message }) {
  const tick = TICKS[props.message.status];
  if (!tick) return null;
  return (
    <span
      className={`ticks ticks-${props.message.status}`}
      data-testid="message-status"
      data-status={props.message.status}
      title={tick.label}
      aria-label={tick.label}
    >
      {tick.icon}
    </span>
  );
}

function Media(props: { message: Message }) {
  const [broken, setBroken] = useState(false);
  const media = props.message.media;
  const url = safeUrl(media?.url);
  if (!media || !url) return null;
  const filename = media.filename ?? `${props.message.kind} attachment`;
  if ((media.mimeType.startsWith('image/') || props.message.kind === 'image') && !broken) {
    return (
      <a className="bubble-media" href={url} target="_blank" rel="noopener noreferrer">
        <img src={url} alt={media.filename ?? 'Image'} loading="lazy" onError={() => setBroken(true)} />
      </a>
    );
  }
  if (media.mimeType.startsWith('audio/')) {
    return <audio className="bubble-audio" controls preload="none" src={url} />;
  }
  return (
    <a className="bubble-file" href={url} download={media.filename ?? true} rel="noopener noreferrer">
      <span className="bubble-file-icon" aria-hidden="true">
        ⎘
      </span>
      <span className="bubble-file-name">{filename}</span>
    </a>
  );
}

export function MessageBubble(props: { message: Message }) {
  const m = props.message;
  if (m.kind === 'system') {
    return (
      <li className="msg msg-system" data-message-id={m.id}>
        <span>{m.text ?? 'System event'}</span>
        <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
      </li>
    );
  }
  const note = m.kind === 'note';
  const side = note || m.direction === 'out' ? 'out' : 'in';
  const problem = m.status === 'failed' || m.status === 'held' || m.status === 'blocked';
  const placeholder = !m.text && !m.media ? `[${m.kind}]` : null;
  return (
    <li
      className={`msg msg-${side}${note ? ' msg-note' : ''}${problem ? ' msg-problem' : ''}`}
      data-message-id={m.id}
      data-testid="message"
      data-direction={m.direction}
    >
      <div className="bubble">
        {note ? <div className="bubble-label">Note · only your team sees this</div> : null}
        {m.kind === 'template' ? <div className="bubble-label">Template</div> : null}
        <Media message={m} />
        {m.text ? (
          <p className="bubble-text">
            <MessageText text={m.text} />
          </p>
        ) : null}
        {placeholder ? <p className="bubble-text muted">{placeholder}</p> : null}
        <div className="bubble-meta">
          {m.author && side === 'out' ? <span className="bubble-author">{m.author.name}</span> : null}
          <time dateTime={m.createdAt} title={formatDateTime(m.createdAt)}>
            {formatTime(m.createdAt)}
          </time>
          {side === 'out' && !note ? <Ticks message={m} /> : null}
        </div>
      </div>
      {problem ? (
        <div className="msg-reason" role="note">
          {TICKS[m.status]?.label}: {m.statusReason ?? DEFAULT_REASON[m.status]}
        </div>
      ) : null}
    </li>
  );
}
