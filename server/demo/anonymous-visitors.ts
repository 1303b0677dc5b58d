import { browse, research } from './browsing.ts';
import { DAY, type Generation } from './generation.ts';
import { newVisitor, type PlaySession } from './sessions.ts';

/** Visitors who browse or research a few times over the history and never fill in a form. */
export function anonymousVisitors(g: Generation, play: PlaySession): void {
  const { r, start, latest } = g;
  const { anonymous, days } = g.settings;
  for (let i = 0; i < anonymous; i++) {
    const visitor = newVisitor(r);
    let t = start + r.next() * (days - 1) * DAY;
    for (let n = r.int(1, 3); n > 0 && t < latest; n--) {
      t = play(visitor, t, r.chance(0.3) ? research(r) : browse(r)) + r.int(1, 12) * DAY;
    }
  }
}
