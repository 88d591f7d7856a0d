// The provider's word on a template (WhatsApp status and category webhooks) applied to the stored template: its
// status (rejected, paused, disabled… — the guard refuses those) and its category (a template re-categorised as
// marketing needs consent from the next send on: the sender reads the stored category at send time). Each change is
// audited. A template Parley does not have is ignored. Must never send anything and never change the admin's
// approval or the template's text.
import type { TemplateLifecycleEvent } from '../channels/whatsapp-cloud/templates.js';
import { mongoTemplateStore } from '../data/templates.js';
import { recordAudit } from './audit.js';

const store = mongoTemplateStore;

/** Applies one lifecycle event; answers whether Parley had the template. */
export async function applyTemplateLifecycle(ev: TemplateLifecycleEvent, at: Date = new Date()): Promise<boolean> {
  const set = {
    ...(ev.category ? { category: ev.category } : {}),
    ...(ev.status ? { providerStatus: ev.status, providerStatusReason: ev.reason ?? null, providerStatusAt: at } : {}),
    ...(ev.providerTemplateId ? { providerTemplateId: ev.providerTemplateId } : {}),
  };
  const before = await store.applyProvider(
    { name: ev.name, language: ev.language, providerTemplateId: ev.providerTemplateId },
    set,
  );
  if (!before) return false;
  const changes: Record<string, unknown> = {};
  if (ev.category && ev.category !== before.category) changes.category = { from: before.category, to: ev.category };
  if (ev.status && ev.status !== before.providerStatus)
    changes.providerStatus = { from: before.providerStatus ?? null, to: ev.status };
  if (Object.keys(changes).length === 0) return true; // a redelivery, or nothing Parley tracks changed
  await recordAudit({
    actor: { type: 'system', name: 'WhatsApp template webhook' },
    action: 'template.provider_changed',
    target: { type: 'template', id: String(before._id) },
    details: { name: ev.name, language: ev.language, ...changes, reason: ev.reason ?? null },
    at,
  });
  return true;
}
