import { t } from '../../i18n.ts';

// Without won and lost outcomes nothing can be judged: say how to bring them in.

export const NoOutcomes = () => (
  <section class="banner warn" data-testid="no-outcomes">
    <p>
      <strong>{t('dbNoOutcomesTitle')}</strong>
    </p>
    <p>{t('dbNoOutcomesBody')}</p>
    <pre class="code">leadglow import outcomes FILE.csv   # email,result,date,value (won|lost)</pre>
  </section>
);
