import { useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DeletedItem } from '../../src/shared/api/deletion-api.js';
import { formatDateTime } from '../format.js';
import { focusOnMount } from '../focus.js';

/**
 * After a delete: what was deleted, until when it is kept, and Undo (focused, so Enter undoes at once).
 * `onUndone` is called once it is back.
 */
export function UndoNotice({
  api,
  item,
  onUndone,
}: {
  api: ApiClient;
  item: DeletedItem;
  onUndone: () => void;
}) {
  const [state, setState] = useState<'deleted' | 'undone' | { error: string }>('deleted');
  const what =
    item.sessionStartMs === null
      ? item.description
      : `${item.description} from ${formatDateTime(item.sessionStartMs)}`;
  const undo = (): void => {
    api.call('undoDelete', { entity: item.entity, id: item.id }).then(
      () => {
        setState('undone');
        onUndone();
      },
      (e: Error) => setState({ error: e.message }),
    );
  };
  if (state === 'undone')
    return (
      <p className="card undo-notice" role="status" tabIndex={-1} ref={focusOnMount}>
        {what}: back again.
      </p>
    );
  return (
    <div className="card undo-notice" role="status">
      <span>
        {what} deleted. It is kept until {formatDateTime(item.purgeAtMs)} and can be brought back until then.
      </span>{' '}
      <button type="button" onClick={undo} ref={focusOnMount}>
        Undo
      </button>
      {typeof state === 'object' && <span className="error"> Not undone: {state.error}</span>}
    </div>
  );
}
