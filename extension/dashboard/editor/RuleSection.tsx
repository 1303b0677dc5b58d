import type { ComponentChildren } from 'preact';
import { errorsAt, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { FieldErrors } from './fields.tsx';

// A titled list of rule cards with its add button(s); list-level errors (too many, duplicates) on top.

export function RuleSection({ draft, path, title, children, actions }: { draft: Draft; path: Path; title: string; children: ComponentChildren; actions: ComponentChildren }) {
  const id = `section-${path.join('-')}`;
  return (
    <section class="rules" aria-labelledby={id} data-path={path.join('.')}>
      <h3 id={id}>{title}</h3>
      <FieldErrors messages={errorsAt(draft.errors, path)} />
      {children}
      <p class="row">{actions}</p>
    </section>
  );
}
