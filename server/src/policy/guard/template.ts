// Guard 1b — the template's status at the provider: a template WhatsApp rejected, paused, disabled, archived,
// deleted or still reviews cannot be sent (`template_unavailable`, naming the status and the provider's reason).
// Free-form messages and templates without a reported status pass. Must never look at message text.
import { Refusal, type GuardAllowance, type GuardContext } from './types.js';

const NOT_SENDABLE: Record<string, string> = {
  rejected: 'was rejected by WhatsApp',
  paused: 'is paused by WhatsApp (low quality ratings)',
  disabled: 'is disabled by WhatsApp',
  archived: 'is archived',
  deleted: 'was deleted at WhatsApp',
  pending: 'is waiting for WhatsApp’s review',
};

export function checkTemplateStatus(ctx: GuardContext): GuardAllowance | Refusal {
  const t = ctx.message.kind === 'template' ? ctx.message.template : undefined;
  const why = t?.providerStatus ? NOT_SENDABLE[t.providerStatus] : undefined;
  if (!t || !why) return {};
  const reason = t.providerStatusReason ? ` (reason: ${t.providerStatusReason})` : '';
  return new Refusal('template_unavailable', `The template “${t.name}” ${why}${reason}, so it cannot be sent.`);
}
