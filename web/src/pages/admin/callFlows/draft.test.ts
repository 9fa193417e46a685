import { describe, expect, it } from 'vitest';

import { fromRows, nodeOfField, toRows } from './draft';

const DRAFT = {
  start: 'menu',
  holidays: ['2026-12-25'],
  nodes: {
    menu: { type: 'menu', prompt: 'p1', options: { '1': 'sales' }, fallback: 'sales' },
    sales: { type: 'enqueue', queue: 'q1' },
  },
};

describe('call flow draft rows', () => {
  it('round-trips a draft through the editor rows', () => {
    const rows = toRows(DRAFT);
    expect(rows.start).toBe('menu');
    expect(rows.nodes.map((n) => [n.id, n.type])).toEqual([
      ['menu', 'menu'],
      ['sales', 'enqueue'],
    ]);
    expect(JSON.parse(rows.nodes[1]?.fields ?? '')).toEqual({ queue: 'q1' });
    expect(fromRows(rows)).toEqual({ draft: DRAFT });
  });

  it('names the row whose JSON does not parse', () => {
    const rows = toRows(DRAFT);
    const broken = { ...rows, nodes: rows.nodes.map((n, i) => (i === 1 ? { ...n, fields: '{"queue": ' } : n)) };
    expect(fromRows(broken)).toEqual({ problem: { at: 'node', index: 1 } });
    expect(fromRows({ ...rows, settings: '[1]' })).toEqual({ problem: { at: 'settings' } });
  });

  it('finds the node in a server field', () => {
    expect(nodeOfField('nodes.menu1.options.2')).toBe('menu1');
    expect(nodeOfField('nodes.orphan')).toBe('orphan');
    expect(nodeOfField('start')).toBeNull();
    expect(nodeOfField(null)).toBeNull();
  });
});
