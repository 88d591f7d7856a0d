// The shell of an admin screen: a card with a heading (and a count or button beside it), and the list/CRUD layout
// — the list card with its load state, the card of the create/edit form beside it, and the page's dialogs. Pages
// pass only what is theirs (texts, columns, forms). Must never fetch, decide roles or render user text as HTML.
import type { ReactNode } from 'react';
import { LoadState, type LoadStateProps } from './LoadState.js';

export interface AdminCardHeading {
  title: ReactNode;
  /** The heading's id; the card is named by it (aria-labelledby). Without it, `label` names the card. */
  titleId?: string;
  label?: string;
  /** Beside the title: a count, a button. */
  meta?: ReactNode;
  testId?: string;
}

export function AdminCard(props: AdminCardHeading & { children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={props.titleId} aria-label={props.label} data-testid={props.testId}>
      <div className="card-header">
        <h2 id={props.titleId}>{props.title}</h2>
        {props.meta}
      </div>
      {props.children}
    </section>
  );
}

export interface AdminListPageProps<T> {
  list: AdminCardHeading & { intro?: ReactNode };
  load: LoadStateProps<T>;
  side: AdminCardHeading & { children: ReactNode };
  /** Dialogs (confirm delete, link a number). */
  children?: ReactNode;
}

export function AdminListPage<T>(props: AdminListPageProps<T>) {
  const { intro, ...list } = props.list;
  return (
    <div className="users-layout">
      <AdminCard {...list}>
        {intro}
        <LoadState {...props.load} />
      </AdminCard>
      <AdminCard {...props.side} />
      {props.children}
    </div>
  );
}
