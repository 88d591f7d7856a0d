// The table every admin list uses: a scrollable wrapper, a header row of column names plus an unlabelled (screen
// reader: "Actions") column for the row buttons, and the page's own rows. Must never fetch, sort or hold state.
import type { ReactNode } from 'react';

export function AdminTable(props: { testId: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
