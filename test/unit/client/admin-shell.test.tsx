// The admin screens' shared shell rendered to static HTML (no browser, no server): the load state shows loading,
// the error with "Try again", the page's empty text or its content, in that order; cards are named by their
// heading or label; error text is never rendered as HTML. Must never start a server or a browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderToStaticMarkup } from 'react-dom/server';
import { AdminCard, AdminListPage } from '../../../client/src/components/admin/AdminListPage.js';
import { ListLoadError, LoadErrorNote, LoadState } from '../../../client/src/components/admin/LoadState.js';

const noop = () => {};
const list = (items: string[]) => (
  <ul>
    {items.map((i) => (
      <li key={i}>{i}</li>
    ))}
  </ul>
);

describe('load state', () => {
  it('shows loading until data arrives', () => {
    const html = renderToStaticMarkup(
      <LoadState data={null} what="users">
        {list}
      </LoadState>,
    );
    assert.match(html, /role="status"/);
    assert.match(html, /Loading users…/);
    assert.match(renderToStaticMarkup(<LoadState data={null}>{list}</LoadState>), /> Loading…</);
  });

  it('shows a failed load instead of the data when the page offers a retry', () => {
    const html = renderToStaticMarkup(
      <LoadState data={['stale']} error="<b>boom</b>" onRetry={noop} what="users">
        {list}
      </LoadState>,
    );
    assert.match(html, /role="alert"/);
    assert.match(html, /Could not load users: &lt;b&gt;boom&lt;\/b&gt;/);
    assert.match(html, /Try again/);
    assert.doesNotMatch(html, /stale/);
  });

  it('without a retry keeps the data (the page shows its own note)', () => {
    const html = renderToStaticMarkup(
      <LoadState data={['kept']} error="down">
        {list}
      </LoadState>,
    );
    assert.match(html, /<li>kept<\/li>/);
    assert.equal(renderToStaticMarkup(<LoadErrorNote what="the review queue" message={null} />), '');
    assert.match(
      renderToStaticMarkup(<LoadErrorNote what="the review queue" message="down" />),
      /Could not load the review queue: down/,
    );
  });

  it('shows the empty text for an empty list, else the content', () => {
    const props = { isEmpty: (d: string[]) => d.length === 0, empty: <p>Nothing here.</p> };
    assert.equal(
      renderToStaticMarkup(
        <LoadState data={[]} {...props}>
          {list}
        </LoadState>,
      ),
      '<p>Nothing here.</p>',
    );
    assert.equal(
      renderToStaticMarkup(
        <LoadState data={['a']} {...props}>
          {list}
        </LoadState>,
      ),
      '<ul><li>a</li></ul>',
    );
  });

  it('ends the sentence when the source gave no message', () => {
    const html = renderToStaticMarkup(<ListLoadError what="channels" message="" onRetry={noop} />);
    assert.match(html, /Could not load channels\.</);
  });
});

describe('admin cards and list page', () => {
  it('names a card by its heading id, or by its label', () => {
    const byId = renderToStaticMarkup(
      <AdminCard title="Users" titleId="users-title" meta={<span>2 users</span>}>
        <p>x</p>
      </AdminCard>,
    );
    assert.match(byId, /<section class="card" aria-labelledby="users-title">/);
    assert.match(byId, /<h2 id="users-title">Users<\/h2><span>2 users<\/span>/);
    const byLabel = renderToStaticMarkup(
      <AdminCard title="Review queue" label="Review queue" testId="review-queue">
        <p>x</p>
      </AdminCard>,
    );
    assert.match(byLabel, /aria-label="Review queue" data-testid="review-queue"/);
    assert.match(byLabel, /<h2>Review queue<\/h2>/);
  });

  it('lays out the list card, the form card and the dialogs', () => {
    const html = renderToStaticMarkup(
      <AdminListPage
        list={{ title: 'Integrations', label: 'Integrations', intro: <p>intro</p> }}
        load={{ data: ['one'], children: list }}
        side={{ title: 'New integration', label: 'New integration', children: <form /> }}
      >
        <div role="dialog" />
      </AdminListPage>,
    );
    assert.match(html, /^<div class="users-layout">/);
    assert.match(html, /<p>intro<\/p><ul><li>one<\/li><\/ul><\/section>/);
    assert.match(html, /aria-label="New integration"><div class="card-header"><h2>New integration<\/h2><\/div><form>/);
    assert.match(html, /<div role="dialog"><\/div><\/div>$/);
  });
});
