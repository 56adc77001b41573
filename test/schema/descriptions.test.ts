/**
 * Every type, field, argument, input field and enum value of the public
 * schema says what it is: GraphiQL, codegen and outside clients show these
 * texts, and a name alone does not say a limit, a default or an error code.
 */
import { buildSchema, type GraphQLNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

const described = (text: string | null | undefined): boolean => typeof text === 'string' && text.trim().length > 0;

/** `Type`, `Type.field`, `Type.field(arg)`, `Input.field`, `Enum.VALUE` for each part without a description. */
function undescribed(types: readonly GraphQLNamedType[]): string[] {
  const gaps: string[] = [];
  for (const type of types) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (!described(type.description)) gaps.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field.description)) gaps.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!described(arg.description)) gaps.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!described(field.description)) gaps.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!described(value.description)) gaps.push(`${type.name}.${value.name}`);
    }
  }
  return gaps;
}

describe('schema descriptions', () => {
  it('describe every type, field, argument, input field and enum value', () => {
    expect(undescribed(Object.values(schema.getTypeMap()))).toEqual([]);
  });

  it('are found missing wherever one is missing (the walk itself is checked)', () => {
    const bare = buildSchema(`
      "Described." type Query { "Described." a(x: Int): Int, b: Kind, c(input: In): Int }
      enum Kind { ONE "Described." TWO }
      input In { f: Int }
    `);
    expect(undescribed(Object.values(bare.getTypeMap())).sort()).toEqual(['In', 'In.f', 'Kind', 'Kind.ONE', 'Query.a(x)', 'Query.b', 'Query.c', 'Query.c(input)'].sort());
  });
});
