/** The 404 page of a thing that does not exist (a pipeline, a run, an attempt), with a link back to where to look. */
import type { UiContext, UiRequest } from '../context.js';
import { page } from '../layout.js';

export interface NotFound {
  /** One sentence: `No pipeline "etl".` */
  message: string;
  /** Where to go instead. */
  back?: { href: string; label: string } | undefined;
}

export function notFoundPage(c: UiRequest, ui: UiContext, notFound: NotFound) {
  const back = notFound.back ?? { href: '/', label: 'All pipelines' };
  return page(
    c,
    ui,
    { title: 'Not found' },
    <section class="notice">
      <h1>Not found</h1>
      <p>{notFound.message}</p>
      <p>
        <a href={back.href}>{back.label}</a>
      </p>
    </section>,
    404,
  );
}
