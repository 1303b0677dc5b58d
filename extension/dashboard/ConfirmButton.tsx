import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.ts';

// A button that asks before it acts, in the page (no window.confirm: it blocks and tests cannot see it).

type Props = { label: string; question: string; onConfirm: () => void; disabled?: boolean };

export function ConfirmButton({ label, question, onConfirm, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  // The button that was clicked is gone: keyboard users land on the question's answer.
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span>{question}</span>{' '}
      <button ref={confirm} type="button" class="primary" onClick={() => (setAsking(false), onConfirm())}>
        {t('dbConfirm')}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        {t('dbCancel')}
      </button>
    </span>
  );
}
