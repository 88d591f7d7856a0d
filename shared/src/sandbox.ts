// What the sandbox phone's API (/sandbox/api) and its live reply stream send: the business it talks to, the ads
// a tester can tap, and the messages the phone shows. Plain types: the server builds them, the phone trusts its
// own server. Must never carry a channel secret, and never import server or client code.

export interface SandboxAd {
  id: string;
  headline: string;
  body?: string;
  imageUrl?: string;
  sourceUrl?: string;
  /** true: built-in demo ad; false: an ad already seen in a conversation's attribution. */
  demo: boolean;
}

/** What the phone page shows for one message. */
export interface PhoneMessage {
  id: string;
  from: 'customer' | 'business';
  kind: string;
  text: string | null;
  media?: { url: string; mimeType: string; filename: string };
  at: string;
}

export interface SandboxInfo {
  business: { name: string; displayNumber: string | null };
  ads: SandboxAd[];
}
