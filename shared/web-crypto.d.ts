// The one platform API shared/ uses: Web Crypto's getRandomValues, global in browsers and in
// Node >= 19. Declared here because this project loads neither lib DOM nor @types/node.
declare var crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
