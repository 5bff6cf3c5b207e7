// The help pages cover the vocabulary: every block type has a page, and every parameter a block
// declares (scope ones included) is explained, so a parameter added to blockParams.ts without help
// fails here rather than showing up unexplained.
import { describe, expect, it } from 'vitest';
import { BLOCK_TYPES, declaredParams } from '../../core/pipeline/blockParams';
import { BLOCK_HELP, SCOPE_HELP } from './blockHelp';

describe('BLOCK_HELP', () => {
  it.each(BLOCK_TYPES)('explains %s and each of its parameters', (type) => {
    const help = BLOCK_HELP[type];
    expect(help.summary.length).toBeGreaterThan(20);
    expect(help.summary.length).toBeLessThan(90);
    const explained = new Set([...help.params, ...SCOPE_HELP].map((param) => param.name));
    expect(declaredParams(type).filter((name) => !explained.has(name))).toEqual([]);
    expect(help.params.map((param) => param.name).filter((name) => !declaredParams(type).includes(name))).toEqual([]);
  });
});
