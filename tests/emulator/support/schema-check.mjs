// A small JSON-schema checker for the OpenAPI subset the restore operations use:
// $ref, allOf, type (+ int32/int64 ranges), required, properties, items, enum, minItems, nullable.
// Stricter than OpenAPI's default: properties a schema does not declare are reported too, so a
// response cannot carry the other API version's fields.

const INT_RANGES = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] };

/** @returns {string[]} problems, empty when `value` conforms to `schema` */
export function checkSchema(value, schema, spec, at = '$') {
  const problems = [];
  walk(value, schema, spec, at, problems);
  return problems;
}

function resolve(schema, spec) {
  let current = schema;
  while (current && current.$ref) {
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce((node, part) => node?.[part], spec);
    if (!current) throw new Error(`unresolvable $ref ${schema.$ref}`);
  }
  return current;
}

/** Merges allOf parts into one schema (the spec uses allOf only to wrap a $ref). */
function flatten(schema, spec) {
  const resolved = resolve(schema, spec);
  if (!resolved.allOf) return resolved;
  const { allOf, ...rest } = resolved;
  return allOf.map((part) => flatten(part, spec)).reduce((merged, part) => ({
    ...merged,
    ...part,
    properties: { ...merged.properties, ...part.properties },
    required: [...(merged.required ?? []), ...(part.required ?? [])],
  }), rest);
}

function walk(value, rawSchema, spec, at, problems) {
  const schema = flatten(rawSchema, spec);
  if (value === null) {
    if (!schema.nullable) problems.push(`${at}: null is not allowed`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  switch (schema.type) {
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${at}: expected object`);
      for (const name of schema.required ?? []) if (!(name in value)) problems.push(`${at}.${name}: required but missing`);
      for (const [name, inner] of Object.entries(value)) {
        const propertySchema = schema.properties?.[name];
        if (propertySchema) walk(inner, propertySchema, spec, `${at}.${name}`, problems);
        else if (schema.additionalProperties) {
          if (schema.additionalProperties !== true) walk(inner, schema.additionalProperties, spec, `${at}.${name}`, problems);
        } else problems.push(`${at}.${name}: not declared by the schema`);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${at}: expected array`);
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
      value.forEach((item, i) => walk(item, schema.items, spec, `${at}[${i}]`, problems));
      return;
    case 'integer': {
      if (!Number.isInteger(value)) return void problems.push(`${at}: expected integer, got ${JSON.stringify(value)}`);
      const range = INT_RANGES[schema.format];
      if (range && (value < range[0] || value > range[1])) problems.push(`${at}: out of ${schema.format} range`);
      return;
    }
    case 'number':
      if (typeof value !== 'number') problems.push(`${at}: expected number`);
      return;
    case 'string':
      if (typeof value !== 'string') problems.push(`${at}: expected string, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${at}: expected boolean`);
      return;
    case undefined:
      return;
    default:
      problems.push(`${at}: unsupported schema type ${schema.type}`);
  }
}
