// The scrolling message area of a thread: "Load older" at the top, day separators, bubbles, the typing line.
// Opens at the newest message and sticks to the bottom when new messages arrive or the content grows (images
// loading: a ResizeObserver on the content), unless the agent scrolled up to read; keeps the position when older
// messages are prepended. Must never reorder messages itself: useThread sorts them.
import { Fragment, useEffect, useLayoutEffect, useRef } from 'react';
import type { Message } from '../../../../shared/src/index.js';
import { formatDay } from '../../format.js';
import { MessageBubble } from './MessageBubble.js';

interface Props {
  messages: Message[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  typing: string | null;
}

const NEAR_BOTTOM_PX = 120;

function dayKey(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function MessageList(props: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const snapshot = useRef<{ firstId: string | null; lastId: string | null; height: number; nearBottom: boolean }>({
    firstId: null,
    lastId: null,
    height: 0,
    nearBottom: true,
  });

  const first = props.messages[0]?.id ?? null;
  const last = props.messages[props.messages.length - 1]?.id ?? null;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const prev = snapshot.current;
    if (prev.firstId === null || (prev.lastId !== last && prev.nearBottom)) {
      el.scrollTop = el.scrollHeight; // first render, or a new message while at the bottom
    } else if (prev.firstId !== first && prev.lastId === last) {
      el.scrollTop += el.scrollHeight - prev.height; // older page prepended: keep what the agent was reading
    }
    snapshot.current = { firstId: first, lastId: last, height: el.scrollHeight, nearBottom: true };
    snapshot.current.nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  }, [first, last, props.messages.length]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && props.typing && snapshot.current.nearBottom) el.scrollTop = el.scrollHeight;
  }, [props.typing]);

  // Content that grows after the render (images, audio players) keeps a thread that was at the bottom there.
  useEffect(() => {
    const el = ref.current;
    const content = contentRef.current;
    if (!el || !content || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => {
      const snap = snapshot.current;
      if (snap.nearBottom) el.scrollTop = el.scrollHeight;
      snap.height = el.scrollHeight;
    });
    observer.observe(content);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    // Content grew since we last looked (an image loaded; scroll anchoring may have moved us): the observer
    // decides, so a thread that was at the bottom is not let go by a scroll the agent did not make.
    if (snapshot.current.nearBottom && el.scrollHeight !== snapshot.current.height) return;
    snapshot.current.nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    snapshot.current.height = el.scrollHeight;
  };

  return (
    <div className="thread-scroll" ref={ref} onScroll={onScroll} data-testid="thread-messages">
      <div ref={contentRef}>
        {props.hasOlder ? (
          <div className="thread-older">
            <button type="button" className="btn btn-small" onClick={props.onLoadOlder} disabled={props.loadingOlder}>
              {props.loadingOlder ? 'Loading…' : 'Load older messages'}
            </button>
          </div>
        ) : props.messages.length > 0 ? (
          <p className="thread-start muted">Start of the conversation</p>
        ) : null}
        {props.messages.length === 0 ? <p className="thread-start muted">No messages yet.</p> : null}
        <ol className="msgs">
          {props.messages.map((m, i) => {
            const previous = props.messages[i - 1];
            const separator = !previous || dayKey(previous.createdAt) !== dayKey(m.createdAt);
            return (
              <Fragment key={m.id}>
                {separator ? (
                  <li className="day-sep" aria-hidden="true">
                    <span>{formatDay(m.createdAt)}</span>
                  </li>
                ) : null}
                <MessageBubble message={m} />
              </Fragment>
            );
          })}
        </ol>
        <div className="typing-line" aria-live="polite" data-testid="typing-indicator">
          {props.typing ? (
            <>
              <span className="typing-dots" aria-hidden="true">
                <span />
                <span />
                <span />
              </span>
              {props.typing} is typing…
            </>
          ) : null}
        </div>
      </div>
    </div>
  );
}
