/**
 * CSV in the browser, for the import wizard: the header (for the column mapping) and the
 * data rows (for the dry-run report), read the way the server's `csv` module reads them
 * (RFC 4180 quoting, a leading BOM ignored, CRLF or LF). Data rows are numbered from 1, the
 * header being row 0, blank lines included, so the numbers match the server's report.
 */
export interface ParsedCsv {
  header: string[];
  /** Every data row after the header, blank ones included (their number is index + 1). */
  rows: string[][];
}

export function parseCsv(text: string): ParsedCsv {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let any = false;
  for (; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (text.charAt(i + 1) === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      record.push(cell);
      cell = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text.charAt(i + 1) === '\n') i++;
      record.push(cell);
      records.push(any || cell ? record : []);
      record = [];
      cell = '';
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || cell || record.length) {
    record.push(cell);
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return { header: header.map((name) => name.trim()), rows };
}

export function isBlank(row: readonly string[]): boolean {
  return row.every((cell) => !cell.trim());
}

/** The fields a column may map to (tenants/crm/csv_import.py PLAIN_FIELDS, and custom:<key>). */
export const PLAIN_TARGETS = [
  'name',
  'company',
  'email',
  'phone',
  'category',
  'tags',
  'notes',
  'external_id',
  'owner_email',
] as const;
export type PlainTarget = (typeof PLAIN_TARGETS)[number];

/** Only these may come from several columns; every other field from one at most. */
export const REPEATABLE_TARGETS: readonly string[] = ['phone', 'email', 'tags'];

/** Column name → field; unmapped columns are absent. */
export type ColumnMapping = Record<string, string>;

const SYNONYMS: Record<PlainTarget, readonly string[]> = {
  name: ['name', 'full name', 'fullname', 'customer', 'customer name', 'contact', 'contact name', '姓名', '名称', '客户', '客户名称'],
  company: ['company', 'organisation', 'organization', 'org', 'business', 'employer', '公司', '单位'],
  email: ['email', 'e-mail', 'mail', 'email address', 'emails', '邮箱', '电子邮件'],
  phone: ['phone', 'phones', 'tel', 'telephone', 'mobile', 'cell', 'number', 'phone number', 'mobile phone', '电话', '手机', '手机号', '电话号码'],
  category: ['category', 'type', 'segment', 'class', '类别', '分类'],
  tags: ['tags', 'tag', 'labels', 'label', '标签'],
  notes: ['notes', 'note', 'comment', 'comments', 'remarks', 'description', '备注'],
  external_id: ['external id', 'external_id', 'externalid', 'id', 'customer id', 'crm id', 'ref', 'reference', '编号'],
  owner_email: ['owner', 'owner email', 'owner_email', 'account manager', 'assigned to', '负责人'],
};

function simplify(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_\-.]+/g, ' ');
}

/**
 * A first guess at the mapping: a column whose name is a field's name or a usual synonym
 * (in English or Chinese), or a custom field's key or label, maps to it. Each single-value
 * field is taken by the first column that matches it; phone, email and tags may repeat.
 */
export function guessMapping(header: readonly string[], customFields: readonly { key: string; label: string }[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  for (const column of header) {
    if (!column) continue;
    const name = simplify(column);
    let target: string | null = null;
    for (const field of customFields) {
      if (name === simplify(field.key) || name === simplify(field.label)) target = `custom:${field.key}`;
    }
    if (!target) {
      for (const field of PLAIN_TARGETS) {
        if (SYNONYMS[field].some((synonym) => simplify(synonym) === name)) {
          target = field;
          break;
        }
      }
    }
    if (!target) {
      // "Mobile phone 2", "Work email": a field's word inside the name.
      if (/phone|mobile|tel\b|电话|手机/.test(name)) target = 'phone';
      else if (/e-?mail|邮箱/.test(name)) target = 'email';
    }
    if (target && (REPEATABLE_TARGETS.includes(target) || !taken.has(target))) {
      mapping[column] = target;
      taken.add(target);
    }
  }
  return mapping;
}

/** What is wrong with a mapping before it is sent ("name" missing, a field twice), or null. */
export function mappingProblem(mapping: ColumnMapping): 'noName' | 'duplicate' | null {
  const targets = Object.values(mapping);
  if (!targets.includes('name')) return 'noName';
  const single = targets.filter((target) => !REPEATABLE_TARGETS.includes(target));
  if (new Set(single).size !== single.length) return 'duplicate';
  return null;
}
