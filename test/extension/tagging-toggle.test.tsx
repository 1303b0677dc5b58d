// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Changed, ReplyTo, Request, StatusReply } from '../../shared/contracts/messages.ts';
import { App } from '../../extension/panel/App.tsx';
import type { Client } from '../../extension/panel/client.ts';
import { installBrowserStubs } from './setup.ts';

// The side panel's tagging switch: only for a marketer (admin token), on and off for the
// panel's tab, and asking the browser for exactly the marketer's site when access is missing.

const status = (role: 'admin' | 'rep'): StatusReply => ({ configured: true, serverUrl: 'https://lg.test', me: { role, workspaceDomains: [] }, connection: 'online', alerts: [], sites: [], origins: [] });

function fakeClient(startReplies: ReplyTo<'tagging-start'>[], role: 'admin' | 'rep' = 'admin') {
  const listeners = new Set<(c: Changed) => void>();
  let on = false;
  const sent: Request[] = [];
  const client: Client = {
    send: vi.fn(async (msg: Request) => {
      sent.push(msg);
      switch (msg.type) {
        case 'get-status':
          return status(role);
        case 'get-tab':
          return {};
        case 'tagging-state':
          return { on };
        case 'tagging-start': {
          const r = startReplies.shift() ?? { status: 'ok' };
          on = r.status === 'ok';
          return r;
        }
        case 'tagging-stop':
          on = false;
          return { status: 'ok' };
        default:
          return { status: 'ok' };
      }
    }) as Client['send'],
    onChanged: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  return { client, sent, emit: (c: Changed) => listeners.forEach((l) => l(c)), setOn: (v: boolean) => (on = v) };
}

describe('tagging switch in the side panel', () => {
  let permissions: { request: ReturnType<typeof vi.fn> };
  beforeEach(() => {
    installBrowserStubs();
    permissions = (fakeBrowser as unknown as { permissions: { request: ReturnType<typeof vi.fn> } }).permissions;
  });
  afterEach(cleanup);

  it('is not there for a sales rep', async () => {
    const { client } = fakeClient([], 'rep');
    render(<App client={client} tabId={5} />);
    await screen.findByTestId('no-lead');
    expect(screen.queryByTestId('tagging')).toBeNull();
  });

  it('switches tagging on and off for the panel\'s tab, and follows the tagger leaving by itself', async () => {
    const f = fakeClient([]);
    render(<App client={f.client} tabId={5} />);
    const toggle = await screen.findByTestId('tagging-toggle');
    expect(toggle.textContent).toBe('Tag this page');
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId('tagging-toggle').textContent).toBe('Stop tagging'));
    expect(f.sent).toContainEqual({ type: 'tagging-start', tabId: 5 });
    expect(screen.getByTestId('tagging-toggle').getAttribute('aria-pressed')).toBe('true');

    // Escape in the page: the background broadcasts, the panel asks again.
    f.setOn(false);
    f.emit({ type: 'changed', what: 'tagging', tabId: 5 });
    await waitFor(() => expect(screen.getByTestId('tagging-toggle').textContent).toBe('Tag this page'));

    fireEvent.click(screen.getByTestId('tagging-toggle'));
    await waitFor(() => expect(screen.getByTestId('tagging-toggle').textContent).toBe('Stop tagging'));
    fireEvent.click(screen.getByTestId('tagging-toggle'));
    await waitFor(() => expect(f.sent).toContainEqual({ type: 'tagging-stop', tabId: 5 }));
  });

  it('asks the browser for the marketer\'s site only, then starts', async () => {
    const f = fakeClient([{ status: 'needs-access' }, { status: 'ok' }]);
    render(<App client={f.client} tabId={5} />);
    fireEvent.click(await screen.findByTestId('tagging-toggle'));
    const form = await screen.findByTestId('tagging-access');
    expect(form.textContent).toContain('Leadglow needs access to this site to tag it.');
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'www.fjordline.example/pricing' } });
    fireEvent.submit(form);
    await waitFor(() => expect(screen.getByTestId('tagging-toggle').textContent).toBe('Stop tagging'));
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://www.fjordline.example/*'] });
    expect(f.sent.filter((m) => m.type === 'tagging-start')).toHaveLength(2);
  });

  it('says so when the browser refuses the site', async () => {
    permissions.request.mockResolvedValueOnce(false);
    const f = fakeClient([{ status: 'needs-access' }]);
    render(<App client={f.client} tabId={5} />);
    fireEvent.click(await screen.findByTestId('tagging-toggle'));
    const form = await screen.findByTestId('tagging-access');
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'https://www.fjordline.example' } });
    fireEvent.submit(form);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('needs access'));
    expect(f.sent.filter((m) => m.type === 'tagging-start')).toHaveLength(1);
  });
});
