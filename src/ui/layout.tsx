/**
 * Every page's frame: header navigation, the live indicator, the stylesheet and the one client script. Rendered by
 * hono/jsx, which escapes every string it is given (text and attribute values), so user bytes can only be text.
 * `topics` are what the page's `data-live` regions and client modules follow; `since` is the broadcast's cursor at
 * render time, so nothing published between rendering and the stream opening is missed.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { assetPath } from './assets.js';
import type { UiContext, UiRequest } from './context.js';

export type NavItem = 'pipelines' | 'upcoming' | 'daemon';

export interface PageOptions {
  title: string;
  nav?: NavItem | undefined;
  /** Topics this page follows (`pipelines`, `run:<id>`…). */
  topics?: string[] | undefined;
}

const NAV: { item: NavItem; href: string; label: string }[] = [
  { item: 'pipelines', href: '/', label: 'Pipelines' },
  { item: 'upcoming', href: '/upcoming', label: 'Upcoming' },
  { item: 'daemon', href: '/daemon', label: 'Daemon' },
];

export function Layout(props: PageOptions & { readOnly: boolean; since: string; signedIn: boolean; notice?: string | undefined; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${props.title} · flow`}</title>
        <link rel="stylesheet" href={assetPath('style.css')} />
        <link rel="icon" href="data:," />
        <script type="module" src={assetPath('app.js')}></script>
      </head>
      <body data-topics={JSON.stringify(props.topics ?? [])} data-since={props.since} data-read-only={props.readOnly ? 'true' : 'false'}>
        <header class="top">
          <a class="brand" href="/">
            flow
          </a>
          {props.signedIn && (
            <nav aria-label="main">
              {NAV.map((entry) => (
                <a href={entry.href} aria-current={entry.item === props.nav ? 'page' : undefined}>
                  {entry.label}
                </a>
              ))}
            </nav>
          )}
          <span class="spacer"></span>
          {props.readOnly && <span class="badge">read-only</span>}
          {props.signedIn && (props.topics?.length ?? 0) > 0 && (
            <span id="live" class="live" title="live updates" data-state="off">
              live
            </span>
          )}
          {props.signedIn && (
            <form method="post" action="/ui/logout" class="logout">
              <button type="submit" class="link">
                Log out
              </button>
            </form>
          )}
        </header>
        <main>
          {props.notice !== undefined && (
            <p class="banner" role="note">
              {props.notice}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Renders a page of this UI: the route's pattern is `return page(c, ui, {title, nav, topics}, <Body …/>)`. */
export async function page(c: UiRequest, ui: UiContext, options: PageOptions, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 500 | 503 = 200): Promise<Response> {
  const notice = await ui.deps.notice?.().catch(() => undefined);
  return c.html(
    <>
      {raw('<!doctype html>')}
      <Layout {...options} readOnly={ui.readOnly} since={ui.broadcast.cursor} signedIn={c.get('auth') !== undefined} notice={notice}>
        {body}
      </Layout>
    </>,
    status,
  );
}
