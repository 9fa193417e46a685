import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormField } from '../../../ui/FormField';
import { NODE_TYPES, type NodeRow } from './draft';

interface NodeRowEditorProps {
  row: NodeRow;
  error: string | undefined;
  onChange: (row: NodeRow) => void;
  onRemove: () => void;
}

/** One node of the list: its id, its type and its other fields as JSON. */
export function NodeRowEditor({ row, error, onChange, onRemove }: NodeRowEditorProps) {
  const t = useT();
  const name = row.id || t('callFlows.unnamedNode');
  return (
    <fieldset className="form-section" aria-label={t('callFlows.nodeLabel', { id: name })}>
      <legend>{t('callFlows.nodeLabel', { id: name })}</legend>
      <FormField label={t('callFlows.nodeId')} required>
        {(control) => <input className="input" {...control} value={row.id} onChange={(e) => onChange({ ...row, id: e.target.value })} autoComplete="off" />}
      </FormField>
      <FormField label={t('callFlows.nodeType')}>
        {(control) => (
          <select className="input" {...control} value={row.type} onChange={(e) => onChange({ ...row, type: e.target.value })}>
            {NODE_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label={t('callFlows.nodeFields')} hint={t('callFlows.nodeFieldsHint')} error={error}>
        {(control) => (
          <textarea className="input input-code" rows={5} spellCheck={false} {...control} value={row.fields} onChange={(e) => onChange({ ...row, fields: e.target.value })} />
        )}
      </FormField>
      <Button className="btn-small" variant="danger" onClick={onRemove}>
        {t('callFlows.removeNode', { id: name })}
      </Button>
    </fieldset>
  );
}
