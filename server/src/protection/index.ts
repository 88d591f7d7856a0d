// Assembles customer protection for one server process: review queue, integrations (approved senders),
// `review.created` for new held messages, and the retention sweep. server.ts creates it once; app.ts mounts the
// routers that use it. Must never send except through the MessageSender.
import type { Config } from '../config.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import type { MessageSender } from '../inbox/sender.js';
import { mongoAbuseReportStore } from '../data/abuse-reports.js';
import { mongoIntegrationStore } from '../data/integrations.js';
import { mongoReviewStore } from '../data/review.js';
import { publishReviewCreated } from '../events/publish.js';
import { IntegrationService } from './integrations.js';
import { ReviewService } from './review.js';
import { startRetentionSweep } from './retention.js';

export interface Protection {
  review: ReviewService;
  integrations: IntegrationService;
  start(): void;
  stop(): void;
}

export function createProtection(opts: {
  config: Config;
  logger: Logger;
  bus: EventBus;
  sender?: MessageSender;
}): Protection {
  const { bus, config, logger } = opts;
  const stores = { review: mongoReviewStore, reports: mongoAbuseReportStore, integrations: mongoIntegrationStore };
  const review = new ReviewService({ bus, sender: () => opts.sender, stores });
  const integrations = new IntegrationService({ bus, sender: () => opts.sender, review, stores });
  let stopSweep: (() => void) | undefined;
  // A new held message (integration not approved, or a guard hold) is a new review item for supervisors.
  // Announced here only, once per held message, whatever held it.
  const unsubscribe = bus.subscribe('message.created', (e) => {
    if (e.message.status !== 'held') return;
    publishReviewCreated(bus, { type: 'held_message', message: e.message, actor: e.actor });
  });
  return {
    review,
    integrations,
    start() {
      stopSweep = startRetentionSweep({
        messageBodyDays: config.MESSAGE_BODY_RETENTION_DAYS,
        logger: logger.child({ module: 'retention' }),
      });
    },
    stop() {
      stopSweep?.();
      unsubscribe();
    },
  };
}
