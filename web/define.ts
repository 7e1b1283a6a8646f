/**
 * Register a custom element once: a page that loads the element twice (two
 * bundles, a partner's and ours) must not throw on the second definition.
 */
export function defineOnce(name: string, constructor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, constructor);
}
