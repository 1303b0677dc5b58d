import { t } from '../i18n.ts';

export const Problem = ({ message }: { message: string }) => (
  <p class="banner warn" role="alert">
    {t('dbProblem', [message])}
  </p>
);
