// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { marks, pageMarks, watchTaggedClicks } from '../../sdk/tags.ts';

describe('tags', () => {
  it('a click inside a tagged element sends a click event with selector, text, weight and tags', () => {
    document.body.innerHTML = '<section id="plans"><div><button data-leadglow-weight="30" data-leadglow-tag="demo,hand-raise"><b>Book a demo</b></button></div></section>';
    const emit = vi.fn();
    watchTaggedClicks(emit);
    document.querySelector('b')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(emit).toHaveBeenCalledWith({ type: 'click', selector: '#plans>div>button', text: 'Book a demo', weight: 30, tags: ['demo', 'hand-raise'] });
    expect(document.querySelector('#plans>div>button')).toBe(document.querySelector('button'));
  });

  it('untagged clicks send nothing', () => {
    document.body.innerHTML = '<p><button>Plain</button></p>';
    const emit = vi.fn();
    watchTaggedClicks(emit);
    document.querySelector('button')!.click();
    expect(emit).not.toHaveBeenCalled();
  });

  it('clamps weights to ±100, ignores non-numbers, cuts tags to the contract', () => {
    expect(marks('500', ' a , ,b ')).toEqual({ weight: 100, tags: ['a', 'b'] });
    expect(marks('-7.5', null)).toEqual({ weight: -7.5 });
    expect(marks('lots', '')).toEqual({});
    expect(marks(undefined, Array.from({ length: 15 }, (_, i) => 't' + i).join(',')).tags).toHaveLength(10);
    expect(marks(null, 'x'.repeat(80)).tags![0]).toHaveLength(40);
  });

  it('reads page weight and tags from meta tags', () => {
    document.head.innerHTML = '<meta name="leadglow:weight" content="15"><meta name="leadglow:tags" content="pricing">';
    expect(pageMarks()).toEqual({ weight: 15, tags: ['pricing'] });
    document.head.innerHTML = '';
    expect(pageMarks()).toEqual({});
  });
});
