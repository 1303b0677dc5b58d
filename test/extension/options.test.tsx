// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Options } from '../../extension/options/Options.tsx';
import type { Client } from '../../extension/panel/client.ts';
import type { Request } from '../../shared/contracts/messages.ts';
import { installBrowserStubs } from './setup.ts';

// The options page says what happened next to the button that did it.

function client(): Client {
  const send = vi.fn(async (msg: Request) => {
    if (msg.type === 'get-status') return { configured: true, serverUrl: 'https://leadglow.test', connection: 'online', alerts: [], sites: [], origins: [] };
    if (msg.type === 'save-connection') return { status: 'problem', problem: 'unauthorized', message: 'token refused' };
    return { status: 'ok' };
  });
  return { send: send as unknown as Client['send'], onChanged: () => () => undefined };
}

describe('options feedback', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  it('shows "saved" beside Save sites and a connection problem beside Save', async () => {
    render(<Options client={client()} />);
    const saveSites = screen.getByRole('button', { name: 'Save sites' });
    fireEvent.click(screen.getByLabelText('Gmail'));
    fireEvent.submit(saveSites.closest('form')!);
    await waitFor(() => expect(screen.getByTestId('sites-note').textContent).toBe('Sites saved.'));
    expect(saveSites.parentElement!.contains(screen.getByTestId('sites-note'))).toBe(true);
    expect(screen.getByTestId('connection-note').textContent).toBe('');

    fireEvent.input(screen.getByLabelText('Rep token'), { target: { value: 'abc' } });
    const save = screen.getByRole('button', { name: 'Test and save' });
    fireEvent.submit(save.closest('form')!);
    await waitFor(() => expect(screen.getByTestId('connection-note').textContent).toContain('token refused'));
    expect(save.parentElement!.contains(screen.getByTestId('connection-note'))).toBe(true);
    expect(screen.getByTestId('sites-note').textContent).toBe('Sites saved.');
  });
});
