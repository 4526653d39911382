// Reading the bundled spec as plain JSON: the node a local `$ref` ("#/components/...") points at.
// Shared by the fixtures and the mock's path guard, which both read examples out of the spec.

/** `node`, or what its local `$ref` points at in `spec` (followed until a node has none). */
export function deref<T>(spec: unknown, node: T): T {
  const ref = (node as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  return deref(spec, target as T);
}
