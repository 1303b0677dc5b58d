import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { VERSION_NOTE_MAX } from '../../shared/contracts/marketing.ts';
import { t } from '../i18n.ts';

// A button that asks before it publishes, with a field for why: the note goes into the
// version history beside the publisher's name, so the next marketer knows what a change was for.

type Props = { label: string; question: string; noteLabel: string; placeholder?: string; onConfirm: (note: string | undefined) => void; disabled?: boolean };

export function ConfirmWithNote({ label, question, noteLabel, placeholder, onConfirm, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  // The button that was clicked is gone: keyboard users land in the note.
  useEffect(() => {
    if (asking) field.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  const confirm = () => {
    const text = note.trim();
    setAsking(false);
    setNote('');
    onConfirm(text ? text : undefined);
  };
  return (
    <span class="confirm confirm-note" role="group" aria-label={question}>
      <span>{question}</span>
      <label for={id} class="small">
        {noteLabel}
      </label>
      <textarea id={id} ref={field} rows={2} maxLength={VERSION_NOTE_MAX} placeholder={placeholder} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="publish-note" />
      <span>
        <button type="button" class="primary" onClick={confirm}>
          {t('dbConfirm')}
        </button>{' '}
        <button type="button" onClick={() => (setAsking(false), setNote(''))}>
          {t('dbCancel')}
        </button>
      </span>
    </span>
  );
}
