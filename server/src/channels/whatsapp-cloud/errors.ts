// Plain-language reasons for WhatsApp Cloud API error codes (docs/channels.md), shown to agents on failed messages.
// Must never include tokens or raw provider payloads.

const REASONS: Record<string, string> = {
  '131047':
    "More than 24 hours have passed since the customer's last message: only an approved template can be sent now.",
  '131026': 'The message could not be delivered to this number (not on WhatsApp, or an old app version).',
  '131056': 'Too many messages to this customer in a short time; try again in a few seconds.',
  '130429': 'The WhatsApp number is sending too fast (throughput limit); the message will be retried.',
  '131049': 'WhatsApp limited marketing messages to this customer; try again in at least 24 hours.',
  '131050': 'The customer stopped receiving marketing messages from this business.',
  '131048': 'The number is restricted for spam; messages are limited for now.',
  '131031': 'The business account is restricted or disabled.',
  '368': 'The business account is temporarily restricted for policy violations.',
  '131051': 'WhatsApp does not support this message type.',
  '131060': 'The message type is not available for this customer.',
  '131052': 'The media could not be downloaded from the customer.',
  '131053': 'The media could not be uploaded (unsupported or too large).',
  '132000': 'The template parameters do not match the approved template.',
  '132001': 'The template does not exist in this language, or is not approved yet.',
  '190': 'The access token has expired or is invalid: update the channel settings.',
};

export function cloudErrorReason(code: string, fallback?: string): string {
  return REASONS[code] ?? (fallback ? `WhatsApp error ${code}: ${fallback}` : `WhatsApp error ${code}`);
}
