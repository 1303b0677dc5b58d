import type { DemoRandom } from './demo-random.ts';
import type { Step } from './sessions.ts';

// The two ordinary kinds of session, drawn fresh each time: browsing (content, no buying
// signal) and research (product, pricing, a case study, perhaps its PDF or a pricing click).

export function browse(r: DemoRandom): Step[] {
  const s: Step[] = [{ page: r.pick(['home', 'blog', 'blog', 'product'] as const) }];
  for (let i = r.int(0, 2); i > 0; i--) s.push({ page: r.pick(['home', 'blog', 'product', 'careers'] as const) });
  return s;
}

export function research(r: DemoRandom): Step[] {
  const s: Step[] = [{ page: r.pick(['home', 'blog', 'product'] as const) }];
  if (r.chance(0.7)) s.push({ page: 'product' });
  if (r.chance(0.6)) s.push({ page: 'pricing' });
  if (r.chance(0.25)) s.push({ click: 'pricing-cta' });
  if (r.chance(0.45)) s.push({ page: 'caseStudy' }, ...(r.chance(0.6) ? [{ download: 'case-study' } as const] : []));
  return s;
}
