// A failure no one can act on right then, but whoever debugs should find: logged with what was
// being done, in the console of the context it happened in (the background's service worker,
// the side panel, the dashboard, the page under the tagger). Use it as a rejection handler:
// `.catch(warnFailed('clearing the alerts'))`.

export const warnFailed = (what: string) => (error: unknown): undefined => {
  console.warn(`Leadglow: ${what} failed`, error);
  return undefined;
};
