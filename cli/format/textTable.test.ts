import { describe, expect, it } from 'vitest';
import { renderTable } from './textTable.js';

describe('renderTable', () => {
  it('aligns text left and numbers right, with a rule above the totals row and no trailing spaces', () => {
    const text = renderTable(
      [{ header: 'layer' }, { header: 'params', align: 'right' }, { header: 'note' }],
      [
        ['conv1', '160', ''],
        ['fc1', '200,832', 'largest'],
      ],
      { footer: ['total', '200,992', ''] },
    );
    expect(text).toBe(
      [
        '  layer   params  note',
        '  conv1      160',
        '  fc1    200,832  largest',
        '  -----  -------  -------',
        '  total  200,992',
        '',
      ].join('\n'),
    );
  });

  it('leaves the header out when asked and honours the indent', () => {
    expect(renderTable([{ header: 'k' }, { header: 'v' }], [['a', '1'], ['bb', '2']], { headerless: true, indent: 0 })).toBe('a   1\nbb  2\n');
  });
});
