/**
 * A call flow's draft as the node-list editor holds it: one row per node (its id, its type
 * and its other fields as JSON text), plus the start node and the flow-wide settings (hours,
 * holidays) as JSON text. The server validates the graph; these helpers only convert.
 */

export const NODE_TYPES = ['play', 'menu', 'collect', 'hours', 'crm', 'set', 'enqueue', 'transfer', 'voicemail', 'hangup'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface NodeRow {
  key: string;
  id: string;
  type: string;
  fields: string;
}

export interface DraftRows {
  start: string;
  settings: string;
  nodes: NodeRow[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let counter = 0;
export function rowKey(): string {
  counter += 1;
  return `node-${counter}`;
}

/** The editor's rows of a draft the server returned. */
export function toRows(draft: unknown): DraftRows {
  const data = isObject(draft) ? draft : {};
  const nodes = isObject(data.nodes) ? data.nodes : {};
  const settings: Json = {};
  if (data.hours !== undefined) settings.hours = data.hours;
  if (data.holidays !== undefined) settings.holidays = data.holidays;
  return {
    start: typeof data.start === 'string' ? data.start : '',
    settings: JSON.stringify(settings, null, 2),
    nodes: Object.entries(nodes).map(([id, value]) => {
      const { type, ...fields } = isObject(value) ? value : {};
      return { key: rowKey(), id, type: typeof type === 'string' ? type : 'hangup', fields: JSON.stringify(fields, null, 2) };
    }),
  };
}

/** Where a local problem is: a node row (by index), or the flow settings. */
export type LocalProblem = { at: 'node'; index: number } | { at: 'settings' };

/** The draft to send, or where the JSON text does not parse to an object. */
export function fromRows(rows: DraftRows): { draft: Json } | { problem: LocalProblem } {
  let settings: unknown = {};
  try {
    settings = rows.settings.trim() ? JSON.parse(rows.settings) : {};
  } catch {
    return { problem: { at: 'settings' } };
  }
  if (!isObject(settings)) return { problem: { at: 'settings' } };
  const nodes: Json = {};
  for (const [index, row] of rows.nodes.entries()) {
    let fields: unknown;
    try {
      fields = row.fields.trim() ? JSON.parse(row.fields) : {};
    } catch {
      return { problem: { at: 'node', index } };
    }
    if (!isObject(fields)) return { problem: { at: 'node', index } };
    nodes[row.id] = { ...fields, type: row.type };
  }
  return { draft: { ...settings, start: rows.start, nodes } };
}

/** The node a server error's `extensions.field` names (`nodes.menu1.options.2` → `menu1`). */
export function nodeOfField(field: string | null): string | null {
  if (!field?.startsWith('nodes.')) return null;
  return field.split('.')[1] ?? null;
}
