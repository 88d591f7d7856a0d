// The thread composer: Reply / Note toggle, textarea (Enter sends, Shift+Enter newline), "/shortcut" canned
// replies, attachments, outbound typing signal (at most every 2 s), the reply-window countdown, and — when the
// window is closed — the reason and a template form. A 422 refusal is shown here with its reason and the text is
// kept — except when the message was held for review: it is stored on the thread, so the composer is cleared and a
// second press cannot file a duplicate. Focused when the conversation opens (not on touch screens). Must never
// clear the agent's text unless the server accepted or stored it.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  replyWindowState,
  windowHours,
  type CannedReply,
  type ChannelKind,
  type Conversation,
  type Message,
  type PostMessageBody,
  type ReplyWindow,
} from '../../../../shared/src/index.js';
import { ApiRequestError } from '../../api/client.js';
import { inboxApi } from '../../api/inbox.js';
import { formatBytes, formatDuration, formatRelative } from '../../format.js';
import { useLive } from '../../hooks/useLiveConnection.js';
import { useNow } from '../../hooks/useNow.js';
import { CannedPicker, filterCanned } from './CannedPicker.js';
import { TemplateForm, type TemplateValues } from './TemplateForm.js';

const TYPING_EVERY_MS = 2000;
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

export const REFUSAL_TITLES: Record<string, string> = {
  window_closed: 'Reply window closed',
  consent_required: 'Marketing consent required',
  frequency_capped: 'Follow-up limit reached',
  content_blocked: 'Blocked by the content policy',
  held_for_review: 'Held for supervisor review',
  contact_opted_out: 'The customer opted out',
  contact_erased: 'This contact was erased',
  template_not_approved: 'Template not approved',
  template_params: 'Template values missing',
};

interface Refusal {
  code: string;
  title: string;
  message: string;
}

function toRefusal(err: unknown): Refusal {
  if (err instanceof ApiRequestError) {
    return { code: err.code, title: REFUSAL_TITLES[err.code] ?? 'Not sent', message: err.message };
  }
  return { code: 'error', title: 'Not sent', message: 'Something went wrong. Please try again.' };
}

interface Props {
  conversation: Conversation;
  /** The conversation's channel kind (reply-window rules); undefined when the channel list is unavailable. */
  channelKind: ChannelKind | undefined;
  onSent(message: Message): void;
}

function closedTitle(w: Extract<ReplyWindow, { state: 'closed' }>, kind: ChannelKind | undefined, now: number): string {
  if (w.neverWrote) return 'The customer has not written yet.';
  const hours = windowHours(kind);
  const when = w.closedAt === null ? '' : ` ${formatRelative(new Date(w.closedAt).toISOString(), '', now)}`;
  if (kind === 'messenger') return `The 7-day human agent window closed${when}.`;
  return `The ${hours}-hour reply window closed${when}.`;
}

export function Composer(props: Props) {
  const { conversation } = props;
  const { socket } = useLive();
  const now = useNow(30_000);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // The server answered window_closed while the last inbound message was this one (a new one re-opens it).
  const [closedFor, setClosedFor] = useState<string | null | undefined>(undefined);
  const [canned, setCanned] = useState<CannedReply[]>([]);
  const [picker, setPicker] = useState<{ query: string; active: number; manual: boolean } | null>(null);
  const lastTyping = useRef(0);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let cancelled = false;
    inboxApi.listCannedReplies({ quiet: true }).then(
      (items) => !cancelled && setCanned(items),
      () => {
        // No canned replies available: the picker says so.
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // A conversation opens ready to type (not on touch screens, where focus would pop the keyboard up).
  useEffect(() => {
    if (window.matchMedia?.('(pointer: coarse)').matches) return;
    textRef.current?.focus({ preventScroll: true });
  }, []);

  const computed = replyWindowState({
    lastInboundAt: conversation.lastInboundAt,
    windowExpiresAt: conversation.windowExpiresAt,
    kind: props.channelKind,
    now,
  });
  const serverClosed = closedFor === conversation.lastInboundAt && computed.state !== 'closed';
  const win: ReplyWindow = serverClosed
    ? { state: 'closed', closedAt: null, templates: props.channelKind !== 'messenger', neverWrote: false }
    : computed;
  const windowClosed = win.state === 'closed';

  const matches = picker ? filterCanned(canned, picker.query) : [];

  function onChange(value: string): void {
    setText(value);
    if (refusal && refusal.code !== 'window_closed') setRefusal(null);
    const slash = /^\/(\S*)$/.exec(value);
    if (slash) setPicker({ query: slash[1], active: 0, manual: false });
    else if (picker && !picker.manual) setPicker(null);
    const t = Date.now();
    if (mode === 'reply' && value && t - lastTyping.current > TYPING_EVERY_MS && socket.connected) {
      lastTyping.current = t;
      socket.emit('typing', { conversationId: conversation.id });
    }
  }

  function insertCanned(reply: CannedReply): void {
    setText((current) => (/^\/\S*$/.test(current) || !current.trim() ? reply.text : `${current} ${reply.text}`));
    setPicker(null);
    textRef.current?.focus();
  }

  function clearDraft(): void {
    setText('');
    setFile(null);
    if (fileRef.current) fileRef.current.value = '';
  }

  async function send(body: PostMessageBody | null): Promise<boolean> {
    if (busy) return false;
    setBusy(true);
    setRefusal(null);
    try {
      const message = file
        ? await inboxApi.uploadAttachment(conversation.id, file, text.trim() || undefined)
        : await inboxApi.postMessage(conversation.id, body as PostMessageBody);
      props.onSent(message);
      clearDraft();
      return true;
    } catch (err) {
      const r = toRefusal(err);
      if (r.code === 'window_closed') setClosedFor(conversation.lastInboundAt);
      if (r.code === 'held_for_review') clearDraft(); // stored as a held message: it arrives on the thread
      setRefusal(r);
      return false;
    } finally {
      setBusy(false);
      textRef.current?.focus();
    }
  }

  function submitText(): void {
    const value = text.trim();
    if (!value && !file) return;
    if (file) void send(null);
    else void send(mode === 'note' ? { note: value } : { text: value });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): void {
    if (picker && matches.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const delta = e.key === 'ArrowDown' ? 1 : -1;
        const count = Math.min(matches.length, 8);
        setPicker({ ...picker, active: (picker.active + delta + count) % count });
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        insertCanned(matches[Math.min(picker.active, matches.length - 1)]);
        return;
      }
    }
    if (picker && e.key === 'Escape') {
      e.preventDefault();
      setPicker(null);
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submitText();
    }
  }

  const sendTemplate = (v: TemplateValues) => send({ template: v });
  const closedByWindow = mode === 'reply' && windowClosed;

  let windowLine = null;
  if (mode === 'note') {
    windowLine = <span className="composer-hint">Notes are private: the customer never sees them.</span>;
  } else if (win.state === 'open') {
    windowLine = (
      <span className="composer-hint" data-testid="reply-window" title="Free-form replies are allowed until then">
        Window closes in {formatDuration(win.closesAt - now)}
      </span>
    );
  } else if (win.state === 'human') {
    windowLine = (
      <span className="composer-hint composer-hint-warn" data-testid="reply-window">
        24-hour window closed · agent replies allowed for {formatDuration(win.closesAt - now)}
      </span>
    );
  }

  return (
    <div className={`composer${mode === 'note' ? ' composer-note' : ''}`} data-testid="composer">
      <div className="composer-top">
        <div className="segmented segmented-small" role="tablist" aria-label="Message type">
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'reply'}
            className={mode === 'reply' ? 'segmented-on' : undefined}
            onClick={() => setMode('reply')}
          >
            Reply
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'note'}
            className={mode === 'note' ? 'segmented-on' : undefined}
            onClick={() => {
              setMode('note');
              setFile(null);
            }}
          >
            Note
          </button>
        </div>
        {windowLine}
      </div>

      {refusal && !(closedByWindow && refusal.code === 'window_closed') ? (
        <div className="refusal" role="alert" data-testid="send-refusal" data-code={refusal.code}>
          <strong>{refusal.title}.</strong> {refusal.message}
          <button type="button" className="refusal-close" aria-label="Dismiss" onClick={() => setRefusal(null)}>
            ×
          </button>
        </div>
      ) : null}

      {closedByWindow && win.state === 'closed' ? (
        <div className="window-closed" data-testid="window-closed">
          <p>
            <strong>{closedTitle(win, props.channelKind, now)}</strong>{' '}
            {win.templates
              ? 'Only approved templates can be sent until the customer writes again.'
              : 'This channel cannot message the customer until they write again.'}
          </p>
          {refusal?.code === 'window_closed' && refusal.message ? <p className="muted">{refusal.message}</p> : null}
          {text.trim() ? <p className="muted">Your draft is kept below in case the customer writes again.</p> : null}
          {win.templates ? <TemplateForm busy={busy} onSend={sendTemplate} /> : null}
        </div>
      ) : null}

      {closedByWindow && !text ? null : (
        <div className={`composer-box${closedByWindow ? ' composer-box-muted' : ''}`}>
          {picker ? (
            <CannedPicker
              items={matches}
              active={picker.active}
              emptyText={canned.length ? 'No canned reply matches.' : 'No canned replies yet (Admin → Canned replies).'}
              onPick={insertCanned}
              onHover={(i) => setPicker({ ...picker, active: i })}
            />
          ) : null}
          {file ? (
            <div className="attachment-chip" data-testid="attachment-chip">
              <span aria-hidden="true">⎘</span>
              <span className="attachment-name">{file.name}</span>
              <span className="muted">{formatBytes(file.size)}</span>
              <button
                type="button"
                className="refusal-close"
                aria-label="Remove attachment"
                onClick={() => {
                  setFile(null);
                  if (fileRef.current) fileRef.current.value = '';
                }}
              >
                ×
              </button>
            </div>
          ) : null}
          <textarea
            ref={textRef}
            className="composer-input"
            aria-label={mode === 'note' ? 'Private note' : 'Reply'}
            placeholder={
              mode === 'note'
                ? 'Write a note for your team…'
                : file
                  ? 'Add a caption (optional)…'
                  : 'Write a reply… (type / for canned replies)'
            }
            rows={3}
            maxLength={4096}
            value={text}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={onKeyDown}
            onBlur={() => setPicker((p) => (p?.manual ? p : null))}
            disabled={closedByWindow && !text}
          />
          <div className="composer-actions">
            <div className="composer-tools">
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-expanded={picker?.manual ?? false}
                onClick={() => setPicker(picker?.manual ? null : { query: '', active: 0, manual: true })}
                disabled={closedByWindow}
              >
                Canned replies
              </button>
              {mode === 'reply' ? (
                <>
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => fileRef.current?.click()}
                    disabled={closedByWindow || busy}
                  >
                    Attach file
                  </button>
                  <input
                    ref={fileRef}
                    type="file"
                    className="sr-only"
                    tabIndex={-1}
                    aria-label="Attachment"
                    accept="image/*,application/pdf,audio/*,video/*,.doc,.docx,.xls,.xlsx,.txt,.csv"
                    onChange={(e) => {
                      const chosen = e.target.files?.[0] ?? null;
                      if (chosen && chosen.size > MAX_UPLOAD_BYTES) {
                        setRefusal({ code: 'too_large', title: 'File too large', message: 'The limit is 16 MB.' });
                        e.target.value = '';
                        return;
                      }
                      setFile(chosen);
                    }}
                  />
                </>
              ) : null}
            </div>
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={submitText}
              disabled={busy || closedByWindow || (!text.trim() && !file)}
            >
              {busy ? 'Sending…' : mode === 'note' ? 'Add note' : 'Send'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
