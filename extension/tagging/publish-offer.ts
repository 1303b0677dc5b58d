import { t } from '../i18n.ts';
import { h } from './dom.ts';
import type { Panel } from './machine.ts';
import type { PanelView, ViewContext } from './panel-view.ts';

/** After a save: what was saved to which draft, and the offer to publish it or open the dashboard. */
export function publishOffer({ doc, actions }: ViewContext, offer: Extract<Panel, { kind: 'offer' }>): PanelView {
  const { model } = offer;
  const draft = String(model.draftVersion ?? '');
  const message = offer.saved === 'tag' ? t('taggingSaved', [model.name, draft]) : t('taggingFormSaved', [model.name, draft]);
  const publish = h(doc, 'button', { type: 'button', class: 'primary' }, t('taggingPublish'));
  const dashboard = h(doc, 'button', { type: 'button' }, t('taggingOpenDashboard'));
  publish.addEventListener('click', () => actions.publish(model));
  dashboard.addEventListener('click', () => actions.openDashboard());
  const node = h(doc, 'div', {},
    h(doc, 'p', {}, message),
    h(doc, 'p', { class: 'muted' }, t('taggingDashboard')),
    h(doc, 'div', { class: 'actions' }, publish, dashboard));
  return {
    node,
    focus: () => publish.focus(),
    destroy: () => undefined, // nothing running: the publish request answers to the tagger
    update(_before, now) {
      publish.disabled = now.pending === 'publish';
    },
  };
}
