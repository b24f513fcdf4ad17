import type { Child } from 'hono/jsx';

/** A server-rendered element as its HTML text (the views here render synchronously). */
export function html(node: Child): string {
  const text = (node as { toString(): string | Promise<string> }).toString();
  if (typeof text !== 'string') throw new Error('the element rendered asynchronously');
  return text;
}
