import { describe, expect, it } from 'vitest';

import { guessMapping, mappingProblem, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, CRLF and a BOM, and numbers rows as the server does', () => {
    const parsed = parseCsv('\ufeffName,Phone\r\n"Lovelace, Ada","+1 415 ""555"" 0100"\r\n\r\nAlan,\n"multi\nline",x');
    expect(parsed.header).toEqual(['Name', 'Phone']);
    expect(parsed.rows).toEqual([['Lovelace, Ada', '+1 415 "555" 0100'], [], ['Alan', ''], ['multi\nline', 'x']]);
  });

  it('has no rows for a header alone, with or without a final newline', () => {
    expect(parseCsv('Name\n')).toEqual({ header: ['Name'], rows: [] });
    expect(parseCsv('Name')).toEqual({ header: ['Name'], rows: [] });
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
  });
});

describe('guessMapping', () => {
  const fields = [{ key: 'tier', label: 'Loyalty tier' }];

  it('maps usual names, synonyms and custom fields, and repeats only phone, email and tags', () => {
    expect(
      guessMapping(['Full name', 'Mobile', 'Work phone', 'E-mail', 'Company', 'Tags', 'Loyalty tier', 'Customer', 'Owner', 'Favourite colour', '电话'], fields),
    ).toEqual({
      'Full name': 'name',
      Mobile: 'phone',
      'Work phone': 'phone',
      'E-mail': 'email',
      Company: 'company',
      Tags: 'tags',
      'Loyalty tier': 'custom:tier',
      Owner: 'owner_email',
      电话: 'phone',
    });
  });

  it('says what a mapping lacks', () => {
    expect(mappingProblem({ Tel: 'phone' })).toBe('noName');
    expect(mappingProblem({ A: 'name', B: 'name' })).toBe('duplicate');
    expect(mappingProblem({ A: 'name', B: 'phone', C: 'phone' })).toBeNull();
  });
});
