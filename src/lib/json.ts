/**
 * Jackson DefaultPrettyPrinter style, which is what Atlas emits for pretty=true:
 * two-space indent, `"key" : value`, arrays of scalars inline as `[ "a", "b" ]`.
 */
export function prettyJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => prettyJson(v, indent)).join(', ')} ]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{ }';
  const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${prettyJson(v, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
