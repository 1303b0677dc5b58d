import { describe, expect, it } from 'vitest';
import { classifyForm } from '../../../shared/intent/classify.ts';

// Forms known to be about something else keep words elsewhere on the page from making them a
// hand-raise. The case: WordPress's comment form under a case study titled "How Nordvik
// Freight cut quote times by 60%" (test/fixtures/pages/wordpress-case-study.html), which the
// title's "quote" made a quote request, a sales-ready lead for every blog comment.

describe('classifyForm: comment forms', () => {
  const comment = { formId: 'commentform', formClass: 'comment-form', action: '/wp-comments-post.php', fields: ['comment', 'email'], heading: 'Harbor Logistics', title: 'How Nordvik Freight cut quote times by 60% – Cargolytics', url: 'https://www.example.com/case-studies/acme/' };

  it('a comment form is other, decided by its own words, whatever the title says', () => {
    expect(classifyForm({ ...comment, button: 'Post Comment' })).toEqual({ intent: 'other', signal: { source: 'button', text: 'Post Comment' } });
    expect(classifyForm({ ...comment, button: 'Plaats reactie', formId: 'x', formClass: undefined, action: undefined }).intent).toBe('other');
    expect(classifyForm({ ...comment, button: 'Skicka kommentar', formId: 'x', formClass: undefined, action: undefined }).intent).toBe('other');
    expect(classifyForm({ ...comment, button: 'Kommentar abschicken', formId: 'x', formClass: undefined, action: undefined }).intent).toBe('other');
  });

  it('any intent named beside a comment word wins, and a comment field does not undo a contact form', () => {
    expect(classifyForm({ formId: 'f', fields: [], button: 'Comment or request a demo' }).intent).toBe('demo');
    expect(classifyForm({ formId: 'f', fields: ['name', 'email', 'comments'], heading: 'Contact us' })).toEqual({ intent: 'contact', signal: { source: 'heading', text: 'Contact us' } });
  });
});
