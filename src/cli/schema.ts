// `loyalty-engine schema`: the JSON Schema of program configs, generated from the zod schemas the
// library validates with, so editors can complete and check a program file
// (`"$schema": "./program.schema.json"`). zod cannot express its transforms and refinements: the
// decimal and instant inputs get an override describing what they accept; the remaining checks
// (currency codes, time zones, rule conditions' deeper rules) are only enforced by `validate`.
import * as z from 'zod';
import { conditionSchema, topLevelConditionSchema } from '../schema/condition';
import { decimalSchema, instantSchema } from '../schema/primitives';
import { programConfigSchema } from '../schema/program';

/** What a decimal field accepts: a decimal string ("19.99") or a JSON number. */
const DECIMAL_JSON_SCHEMA = {
  anyOf: [
    { type: 'string', pattern: '^-?(0|[1-9]\\d*|\\d+)(\\.\\d+)?$' },
    { type: 'number' },
  ],
  description: 'A decimal: a string such as "19.99" (exact) or a JSON number.',
};

/** What an instant field accepts: an ISO 8601 date, or date-time with an offset. */
const INSTANT_JSON_SCHEMA = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description: 'An ISO 8601 instant: "2027-01-31" (UTC midnight) or a date-time with an offset ("2027-01-31T09:00:00-05:00").',
};

const ref = (name: string): Record<string, unknown> => ({ $ref: `#/$defs/${name}` });
const nodeOf = (key: string, value: Record<string, unknown>): Record<string, unknown> => ({
  type: 'object',
  required: [key],
  properties: { [key]: value },
});
const ROOT_NODES = [
  nodeOf('all', { type: 'array', items: ref('condition') }),
  nodeOf('any', { type: 'array', items: ref('condition') }),
  nodeOf('not', ref('condition')),
  nodeOf('condition', { type: 'string', description: 'The name of a shared condition (`conditions`).' }),
];
/**
 * json-rules-engine's condition format, structurally (the facts and operators a rule may use
 * are checked by `validate`, which knows the program).
 */
const CONDITION_DEFS = {
  topLevelCondition: { anyOf: ROOT_NODES, description: 'A rule condition: { all }, { any }, { not } or { condition }.' },
  condition: {
    anyOf: [
      ...ROOT_NODES,
      {
        type: 'object',
        required: ['fact', 'operator'],
        properties: { fact: { type: 'string' }, operator: { type: 'string' }, path: { type: 'string' }, params: { type: 'object' } },
        description: 'A comparison: { fact, operator, value } (value may be { fact } to compare two facts).',
      },
    ],
  },
};

/** The inner schema a pipe reads its input with (decimals and instants are custom → transform pipes). */
const inputOf = (schema: z.core.$ZodType): unknown => (schema instanceof z.core.$ZodPipe ? schema._zod.def.in : schema);

/**
 * The JSON Schema (draft 2020-12) of a program config's input, i.e. of a program JSON file.
 * The `$schema` key editors use to find it is allowed at the top.
 */
export function programJsonSchema(): Record<string, unknown> {
  const decimalInput = inputOf(decimalSchema);
  const instantInput = inputOf(instantSchema);
  const topLevelInput = inputOf(topLevelConditionSchema);
  const conditionInput = inputOf(conditionSchema);
  const schema = z.toJSONSchema(programConfigSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema === decimalInput) Object.assign(ctx.jsonSchema, DECIMAL_JSON_SCHEMA);
      else if (ctx.zodSchema === instantInput) Object.assign(ctx.jsonSchema, INSTANT_JSON_SCHEMA);
      else if (ctx.zodSchema === topLevelInput) Object.assign(ctx.jsonSchema, ref('topLevelCondition'));
      else if (ctx.zodSchema === conditionInput) Object.assign(ctx.jsonSchema, ref('condition'));
    },
  }) as Record<string, unknown>;
  allowSchemaKey(schema);
  const defs = (schema.$defs ?? {}) as Record<string, unknown>;
  return { ...schema, title: 'loyalty-engine program config', $defs: { ...defs, ...CONDITION_DEFS } };
}

/** Each kind's object refuses unknown keys; `$schema` is the one extra key a program file may carry. */
function allowSchemaKey(schema: Record<string, unknown>): void {
  const options = (schema.oneOf ?? schema.anyOf) as Record<string, unknown>[] | undefined;
  for (const option of options ?? [schema]) {
    const properties = option.properties as Record<string, unknown> | undefined;
    if (properties !== undefined) properties.$schema = { type: 'string', description: 'The JSON Schema this file follows (for editors); ignored by the library.' };
  }
}
