// Guards URLs that come from customers or providers (ad source links, creative images, media) before they reach
// an href or src. Must never let through anything but http(s) or a same-origin path (no javascript:, data:, …).

/** The URL when it is http(s) or a same-origin absolute path, else null. */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const value = raw.trim();
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** "example.com/path" — a short, readable form of a URL for link text. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url, window.location.origin);
    const text = `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
    return text.length > 48 ? `${text.slice(0, 47)}…` : text;
  } catch {
    return url;
  }
}
