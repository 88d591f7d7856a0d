// Two built-in demo ads the simulated phone can "tap" (honest demo data: labelled as such, images served by this
// server, links to example.invalid). Must never pretend to be a real advertiser's creative.
import type { SandboxAd } from '../../../../shared/src/index.js';

export type { SandboxAd };

const DEMO: Array<SandboxAd & { colors: [string, string]; label: string }> = [
  {
    id: '120000000000900001',
    headline: 'Waterproof jacket -20% (demo ad)',
    body: 'Only this week — sizes S to XL',
    sourceUrl: 'https://example.invalid/demo-ads/jacket',
    imageUrl: '/sandbox/demo-ads/120000000000900001.svg',
    demo: true,
    colors: ['#1f6f5c', '#63b59c'],
    label: 'JACKETS',
  },
  {
    id: '120000000000900002',
    headline: 'Trail sneakers, free shipping (demo ad)',
    body: 'Order by Friday, delivered Monday',
    sourceUrl: 'https://example.invalid/demo-ads/sneakers',
    imageUrl: '/sandbox/demo-ads/120000000000900002.svg',
    demo: true,
    colors: ['#7a3e9d', '#d48ad6'],
    label: 'SNEAKERS',
  },
];

export const DEMO_ADS: SandboxAd[] = DEMO.map(({ colors: _c, label: _l, ...ad }) => ad);

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The demo ad's creative as a small SVG, or null for an unknown id. */
export function demoAdSvg(id: string): string | null {
  const ad = DEMO.find((a) => a.id === id);
  if (!ad) return null;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270" viewBox="0 0 480 270">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${ad.colors[0]}"/><stop offset="1" stop-color="${ad.colors[1]}"/></linearGradient></defs>
<rect width="480" height="270" fill="url(#g)"/>
<text x="240" y="120" font-family="sans-serif" font-size="64" font-weight="700" fill="#fff" opacity="0.9" text-anchor="middle">${esc(ad.label)}</text>
<text x="240" y="200" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">${esc(ad.headline)}</text>
<text x="240" y="240" font-family="sans-serif" font-size="16" fill="#fff" opacity="0.85" text-anchor="middle">Parley sandbox — demo creative, not a real ad</text>
</svg>`;
}
