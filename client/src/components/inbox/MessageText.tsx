// A message's text with tracked-link ref codes ("[ref:K7Q2AB3C]") shown as a small chip instead of raw text. Text
// stays React text (never HTML). Must never drop or alter the rest of the customer's words.
import { Fragment } from 'react';

const REF = /\[ref:([2-9A-Za-z]{4,12})\]/gi;

/** Splits text into plain parts and ref codes. */
export function splitRefCodes(text: string): Array<{ text: string } | { ref: string }> {
  const parts: Array<{ text: string } | { ref: string }> = [];
  let last = 0;
  for (const m of text.matchAll(REF)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ ref: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

export function MessageText(props: { text: string }) {
  return (
    <>
      {splitRefCodes(props.text).map((p, i) =>
        'ref' in p ? (
          <span key={i} className="chip chip-ref" title={`Tracked link ref code ${p.ref}`} data-testid="ref-chip">
            ref {p.ref}
          </span>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}
