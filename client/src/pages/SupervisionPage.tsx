// Supervision: the review queue (held messages, abuse reports) for roles with review:manage and the audit trail
// search (with "Verify chain" for admins) for roles with audit:read. Must never show sample items.
import { roleCan, type SessionUser } from '../../../shared/src/index.js';
import { AuditSearch } from '../components/supervision/AuditSearch.js';
import { ReviewQueue } from '../components/supervision/ReviewQueue.js';

export function SupervisionPage(props: { user?: SessionUser }) {
  const role = props.user?.role ?? 'supervisor';
  return (
    <>
      <header className="page-header">
        <h1>Supervision</h1>
      </header>
      <div className="supervision-layout">
        {roleCan(role, 'review:manage') ? <ReviewQueue /> : null}
        {roleCan(role, 'audit:read') ? <AuditSearch canVerify={roleCan(role, 'audit:verify')} /> : null}
      </div>
    </>
  );
}
