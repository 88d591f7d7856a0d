// Supervision: the review queue (held messages, abuse reports) for roles with review:manage and the audit trail
// search (with "Verify chain" for admins) for roles with audit:read; a decision in the queue refreshes the audit
// list. Must never show sample items.
import { useState } from 'react';
import { roleCan, type SessionUser } from '../../../shared/src/index.js';
import { AuditSearch } from '../components/supervision/AuditSearch.js';
import { ReviewQueue } from '../components/supervision/ReviewQueue.js';

export function SupervisionPage(props: { user?: SessionUser }) {
  const role = props.user?.role ?? 'supervisor';
  const [decisions, setDecisions] = useState(0);
  return (
    <>
      <header className="page-header">
        <h1>Supervision</h1>
      </header>
      <div className="supervision-layout">
        {roleCan(role, 'review:manage') ? <ReviewQueue onDecided={() => setDecisions((n) => n + 1)} /> : null}
        {roleCan(role, 'audit:read') ? (
          <AuditSearch canVerify={roleCan(role, 'audit:verify')} refreshKey={decisions} />
        ) : null}
      </div>
    </>
  );
}
