// The API shapes moved to shared/ hold for what the server builds and validates: a template view parses with the
// schema the console uses, the template and consent bodies keep their rules and messages, and the review and
// integration answers parse. Must never start a server or touch a database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTemplateBodySchema,
  IntegrationListResponseSchema,
  RecordConsentBodySchema,
  ReviewDecisionResponseSchema,
  TemplateSchema,
  UpdateTemplateBodySchema,
} from '../../../shared/src/index.js';
import { toTemplateView } from '../../../server/src/policy/templates.js';

describe('templates', () => {
  it('the server view parses with the console schema', () => {
    const view = toTemplateView({
      _id: 'abc',
      name: 'order_update',
      language: 'es',
      category: 'utility',
      body: 'Hola {{1}}, tu pedido {{2}}',
      approved: true,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    } as unknown as Parameters<typeof toTemplateView>[0]);
    assert.deepEqual(TemplateSchema.parse(view), view);
    assert.equal(view.variables, 2);
  });

  it('create defaults to not approved; names, languages and empty edits are refused', () => {
    const body = CreateTemplateBodySchema.parse({ name: 'a_b', language: 'pt_BR', category: 'marketing', body: 'x' });
    assert.equal(body.approved, false);
    assert.ok(!CreateTemplateBodySchema.safeParse({ ...body, name: 'Bad Name' }).success);
    assert.ok(!CreateTemplateBodySchema.safeParse({ ...body, language: 'spanish' }).success);
    assert.ok(!CreateTemplateBodySchema.safeParse({ ...body, extra: 1 }).success);
    assert.ok(!UpdateTemplateBodySchema.safeParse({}).success);
    assert.ok(UpdateTemplateBodySchema.safeParse({ approved: true }).success);
  });
});

describe('consent', () => {
  it('an agent must say how the customer expressed it', () => {
    const r = RecordConsentBodySchema.safeParse({ purpose: 'marketing', action: 'granted', note: 'ok' });
    assert.ok(!r.success);
    assert.match(r.error.issues[0].message, /say how the customer expressed it/);
    assert.ok(
      RecordConsentBodySchema.safeParse({ purpose: 'ad_measurement', action: 'withdrawn', note: 'asked' }).success,
    );
  });
});

describe('review and integrations', () => {
  it('parse the answers the console reads', () => {
    const item = {
      id: 'r1',
      type: 'held_message',
      createdAt: '2026-01-01T00:00:00Z',
      conversationId: null,
      contact: null,
      text: 'hi',
      sender: { type: 'integration', id: 'i1', name: 'Carrier' },
      reason: 'unapproved integration',
      status: 'pending',
    };
    assert.deepEqual(ReviewDecisionResponseSchema.parse({ item }).item, item);
    const integration = {
      id: 'i1',
      name: 'Carrier',
      approved: false,
      revoked: false,
      createdAt: '2026-01-01T00:00:00Z',
      approvedAt: null,
      lastUsedAt: null,
    };
    assert.deepEqual(IntegrationListResponseSchema.parse({ items: [integration] }).items, [integration]);
  });
});
