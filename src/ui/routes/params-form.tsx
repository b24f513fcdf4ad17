/**
 * The "run now" form of a pipeline that declares `params:`: one field per param (a select for an enum, a checkbox-free
 * true/false select for a boolean, so "not given" stays possible), defaults shown as placeholders. Fields are named
 * `param.<name>`; the values are checked by the same code as `--param`, so a wrong one comes back as its sentence.
 */
import type { FC } from 'hono/jsx';

interface Spec {
  type?: string;
  default?: string | number | boolean;
  enum?: (string | number | boolean)[];
  description?: string;
}

export const ParamsForm: FC<{ action: string; params: Record<string, unknown> }> = ({ action, params }) => (
  <form method="post" action={action} class="params" data-action>
    {Object.entries(params).map(([name, raw]) => {
      const spec = (raw ?? {}) as Spec;
      const id = `param-${name}`;
      const fallback = spec.default === undefined ? '' : String(spec.default);
      const choices = spec.enum ?? (spec.type === 'boolean' ? [true, false] : undefined);
      return (
        <label for={id}>
          <span>
            {name} <span class="muted small">{spec.type ?? 'string'}</span>
          </span>
          {choices !== undefined ? (
            <select id={id} name={`param.${name}`}>
              <option value="">{spec.default === undefined ? '(choose)' : `default: ${fallback}`}</option>
              {choices.map((choice) => (
                <option value={String(choice)}>{String(choice)}</option>
              ))}
            </select>
          ) : (
            <input id={id} name={`param.${name}`} inputmode={spec.type === 'number' ? 'decimal' : undefined} placeholder={fallback} required={spec.default === undefined} />
          )}
          {spec.description !== undefined && <span class="muted small">{spec.description}</span>}
        </label>
      );
    })}
    <button type="submit">Run now</button>
  </form>
);
