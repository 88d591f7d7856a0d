// An honest empty state for a section that has no data or is not built yet. Must never show sample or fake data.
import type { ReactNode } from 'react';

export function EmptyState(props: { title: string; children: ReactNode; icon?: string }) {
  return (
    <section className="empty">
      {props.icon ? (
        <div className="empty-icon" aria-hidden="true">
          {props.icon}
        </div>
      ) : null}
      <h2>{props.title}</h2>
      <div className="empty-body">{props.children}</div>
    </section>
  );
}
