// The simulated customer phone at /sandbox — clearly labelled "Simulator — not a real WhatsApp". A tester picks a
// customer identity (remembered per browser tab), may tap an ad (built-in demo ads, plus ads already seen in
// conversations), and chats with the business through the sandbox channel: each message becomes a signed
// Cloud-API webhook on the server; replies arrive live and are marked read once displayed.
// Renders all customer and business text as plain text (React text nodes only, never HTML). It runs in a signed-in
// console session: once the server answers 401/403 (signed out, or no sandbox permission) it shows only a notice
// saying the sandbox needs a console login (data-testid="sandbox-signin").
//
// How to drive it (browser tests):
//   - text box labelled "Your name"; text box labelled "Phone number" (any 8–15 digits; a fake +1 555 number is
//     pre-filled); button "New number" picks another fake number.
//   - ad picker: a group labelled "Tap an ad" (role=group) with one button per ad, named by its headline,
//     data-testid="sandbox-ad" and data-ad-id; the tapped ad has aria-pressed="true"; button "Forget the ad" undoes
//     the tap. The next message sent carries the ad's referral, then the tap is cleared.
//   - textarea labelled "Message"; button "Send" (Enter also sends, Shift+Enter is a new line).
//   - the chat: list labelled "Chat"; your messages are items with data-testid="sandbox-sent", the business's
//     replies items with data-testid="sandbox-reply" (their text in the item). Errors appear in role="alert".
//   - live state: element data-testid="sandbox-live" with data-live="true" once replies stream in.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { PhoneMessage, SandboxAd, SandboxInfo } from '../../../shared/src/index.js';
import {
  fakeNumber,
  isValidPhone,
  loadIdentity,
  needsSignIn,
  openReplies,
  phoneDigits,
  sandboxApi,
  saveIdentity,
} from './api.js';

function mergeMessages(list: PhoneMessage[], incoming: PhoneMessage[]): PhoneMessage[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.at.localeCompare(b.at));
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function SandboxPhone() {
  const [initial] = useState(loadIdentity);
  const [name, setName] = useState(initial.name);
  const [phone, setPhone] = useState(initial.phone);
  const [info, setInfo] = useState<SandboxInfo | null>(null);
  const [adId, setAdId] = useState<string | null>(null);
  // The chat of one number at a time; switching numbers shows that number's chat only.
  const [chat, setChat] = useState<{ number: string; list: PhoneMessage[] }>({ number: '', list: [] });
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  /** Set once the server refused the session: 401 (signed out) or 403 (no sandbox permission). */
  const [refused, setRefused] = useState<401 | 403 | null>(null);
  /** Shows an error, or the sign-in notice when the error says the session may not use the sandbox. */
  const fail = useCallback((err: unknown) => {
    if (needsSignIn(err)) setRefused(err.status === 401 ? 401 : 403);
    else setError((err as Error).message);
  }, []);
  const reported = useRef(new Set<string>());
  const chatEnd = useRef<HTMLLIElement>(null);

  const digits = phoneDigits(phone);
  const phoneOk = isValidPhone(phone);
  // The number the chat is shown for (settles shortly after typing stops).
  const [activeNumber, setActiveNumber] = useState(phoneOk ? digits : '');
  const messages = useMemo(() => (chat.number === activeNumber ? chat.list : []), [chat, activeNumber]);
  const addMessages = useCallback((number: string, incoming: PhoneMessage[]) => {
    setChat((c) => ({ number, list: mergeMessages(c.number === number ? c.list : [], incoming) }));
  }, []);

  useEffect(() => saveIdentity({ name, phone }), [name, phone]);

  useEffect(() => {
    sandboxApi.info().then(setInfo, fail);
  }, [fail]);

  useEffect(() => {
    const t = setTimeout(() => setActiveNumber(phoneOk ? digits : ''), 300);
    return () => clearTimeout(t);
  }, [digits, phoneOk]);

  // History and live replies of the active number.
  useEffect(() => {
    if (!activeNumber) return;
    let cancelled = false;
    const loadHistory = () =>
      sandboxApi.history(activeNumber).then(
        (r) => !cancelled && addMessages(activeNumber, r.items),
        (err: unknown) => !cancelled && fail(err),
      );
    const close = openReplies(
      activeNumber,
      (m) => addMessages(activeNumber, [m]),
      (on) => {
        setLive(on);
        if (on) void loadHistory(); // a reconnection may have missed replies
      },
      // The stream was refused: find out why (a 401/403 shows the sign-in notice).
      () => !cancelled && sandboxApi.info().then(() => undefined, fail),
    );
    void loadHistory();
    return () => {
      cancelled = true;
      setLive(false);
      close();
    };
  }, [activeNumber, addMessages, fail]);

  // Replies on screen are "read": tell the server once per reply (it sends delivered + read webhooks).
  useEffect(() => {
    if (!activeNumber) return;
    const report = () => {
      if (document.visibilityState === 'hidden') return;
      const ids = messages.filter((m) => m.from === 'business' && !reported.current.has(m.id)).map((m) => m.id);
      if (ids.length === 0) return;
      ids.forEach((id) => reported.current.add(id));
      sandboxApi.read(activeNumber, ids).catch((err: unknown) => {
        ids.forEach((id) => reported.current.delete(id));
        if (needsSignIn(err)) fail(err);
      });
    };
    report();
    document.addEventListener('visibilitychange', report);
    return () => document.removeEventListener('visibilitychange', report);
  }, [messages, activeNumber, fail]);

  useEffect(() => {
    chatEnd.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length]);

  const tappedAd = info?.ads.find((a) => a.id === adId) ?? null;

  const send = useCallback(async () => {
    const body = text.trim();
    if (!body || sending) return;
    if (!name.trim()) return setError('Enter a name for the simulated customer first.');
    if (!phoneOk) return setError('Enter a phone number of 8 to 15 digits.');
    setSending(true);
    setError(null);
    try {
      const r = await sandboxApi.send({ phone: digits, name: name.trim(), text: body, ...(adId ? { adId } : {}) });
      addMessages(digits, [r.message]);
      setText('');
      setAdId(null);
      if (activeNumber !== digits) setActiveNumber(digits);
    } catch (err) {
      fail(err);
    } finally {
      setSending(false);
    }
  }, [text, sending, name, phoneOk, digits, adId, activeNumber, addMessages, fail]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  };

  if (refused) return <SignInNotice status={refused} />;

  return (
    <div className="sbx-page">
      <header className="sbx-banner" role="note">
        <strong>Simulator — not a real WhatsApp.</strong> This page plays a customer of{' '}
        {info?.business.name ?? 'the business'} on the sandbox channel. Nothing here reaches a real phone or Meta.
      </header>

      <main className="sbx-layout">
        <section className="sbx-panel" aria-labelledby="sbx-who">
          <h2 id="sbx-who">The simulated customer</h2>
          <label className="sbx-field">
            <span>Your name</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={60}
              autoComplete="off"
              placeholder="e.g. Lucía"
            />
          </label>
          <div className="sbx-field">
            <label htmlFor="sbx-phone">Phone number</label>
            <div className="sbx-row">
              <input
                id="sbx-phone"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                inputMode="tel"
                autoComplete="off"
                aria-invalid={!phoneOk}
                aria-describedby="sbx-phone-hint"
              />
              <button type="button" className="sbx-secondary" onClick={() => setPhone(fakeNumber())}>
                New number
              </button>
            </div>
            <small id="sbx-phone-hint">
              {phoneOk ? 'A made-up number: each number is a different customer.' : 'Use 8 to 15 digits.'}
            </small>
          </div>

          <fieldset className="sbx-ads">
            <legend>Tap an ad</legend>
            <p className="sbx-muted">
              Like tapping “Send message” on a Facebook or Instagram ad: your next message carries the ad’s referral.
            </p>
            {info === null ? <p className="sbx-muted">Loading ads…</p> : null}
            <ul>
              {info?.ads.map((ad) => (
                <li key={ad.id}>
                  <AdButton ad={ad} pressed={ad.id === adId} onTap={() => setAdId(ad.id === adId ? null : ad.id)} />
                </li>
              ))}
            </ul>
            {tappedAd ? (
              <button type="button" className="sbx-secondary" onClick={() => setAdId(null)}>
                Forget the ad
              </button>
            ) : null}
          </fieldset>
        </section>

        <section className="sbx-phone" aria-label="Simulated phone">
          <div className="sbx-phone-top">
            <div>
              <div className="sbx-biz">{info?.business.name ?? 'Business'}</div>
              <div className="sbx-muted">{info?.business.displayNumber ?? ''}</div>
            </div>
            <span className="sbx-live" data-testid="sandbox-live" data-live={live ? 'true' : 'false'}>
              {live ? 'live' : activeNumber ? 'connecting…' : 'no number'}
            </span>
          </div>
          <ol className="sbx-chat" aria-label="Chat">
            {messages.length === 0 ? <li className="sbx-empty">No messages yet. Say hello!</li> : null}
            {messages.map((m) => (
              <li
                key={m.id}
                className={m.from === 'customer' ? 'sbx-bubble sbx-out' : 'sbx-bubble sbx-in'}
                data-testid={m.from === 'customer' ? 'sandbox-sent' : 'sandbox-reply'}
                data-message-id={m.id}
              >
                {m.media ? <MediaView media={m.media} /> : null}
                {m.text ? <span className="sbx-text">{m.text}</span> : null}
                <time dateTime={m.at}>{time(m.at)}</time>
              </li>
            ))}
            <li ref={chatEnd} aria-hidden="true" className="sbx-end" />
          </ol>
          {tappedAd ? (
            <div className="sbx-ad-context" aria-live="polite">
              Replying to the ad <strong>{tappedAd.headline}</strong>
            </div>
          ) : null}
          {error ? (
            <div className="sbx-error" role="alert">
              {error}
            </div>
          ) : null}
          <form className="sbx-composer" onSubmit={onSubmit}>
            <label htmlFor="sbx-message" className="sbx-visually-hidden">
              Message
            </label>
            <textarea
              id="sbx-message"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={onKeyDown}
              rows={2}
              maxLength={4096}
              placeholder="Message"
            />
            <button type="submit" disabled={sending || !text.trim()}>
              Send
            </button>
          </form>
        </section>
      </main>
    </div>
  );
}

function SignInNotice(props: { status: 401 | 403 }) {
  return (
    <div className="sbx-page">
      <main className="sbx-signin" data-testid="sandbox-signin" role="alert">
        {props.status === 401 ? (
          <>
            <h1>The sandbox needs a console login</h1>
            <p>
              Your console session has ended. The simulated customer phone writes into the inbox and shows the
              business’s replies, so it is only for signed-in console users allowed to use the sandbox.
            </p>
            <p>
              <a href="/">Sign in to the console</a>, then open <a href="/sandbox">/sandbox</a> again.
            </p>
          </>
        ) : (
          <>
            <h1>Your console account may not use the sandbox</h1>
            <p>
              Only administrators may use the simulated customer phone. <a href="/">Go back to the console</a>.
            </p>
          </>
        )}
      </main>
    </div>
  );
}

function AdButton(props: { ad: SandboxAd; pressed: boolean; onTap: () => void }) {
  const { ad } = props;
  return (
    <button
      type="button"
      className="sbx-ad"
      aria-pressed={props.pressed}
      data-testid="sandbox-ad"
      data-ad-id={ad.id}
      onClick={props.onTap}
    >
      {ad.imageUrl && isSafeSrc(ad.imageUrl) ? (
        <img src={ad.imageUrl} alt="" />
      ) : (
        <span className="sbx-ad-noimg" aria-hidden="true" />
      )}
      <span className="sbx-ad-text">
        <span className="sbx-ad-headline">{ad.headline}</span>
        <span className="sbx-badge">{ad.demo ? 'Demo ad' : 'Seen in a conversation'}</span>
      </span>
    </button>
  );
}

function MediaView(props: { media: NonNullable<PhoneMessage['media']> }) {
  const { media } = props;
  if (!isSafeSrc(media.url)) return null;
  if (media.mimeType.startsWith('image/')) return <img className="sbx-media" src={media.url} alt={media.filename} />;
  return (
    <a className="sbx-file" href={media.url} target="_blank" rel="noreferrer noopener">
      📎 {media.filename}
    </a>
  );
}

/** Same-origin paths or http(s) URLs only (no javascript:, data: …). */
function isSafeSrc(url: string): boolean {
  if (url.startsWith('/') && !url.startsWith('//')) return true;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
