/** Part of echo-worker.ts's module graph (start-worker.test.ts): a second source the bundle must carry. */
export function shout(text: string): string {
  return `${text.toUpperCase()}!`;
}
