/**
 * Request header carrying the TCP peer address, set by the custom server (server/main.ts) on
 * every request and overwriting whatever the client sent. Route handlers see only a web Request
 * (no socket), and `X-Forwarded-For` is client-controlled: Next keeps a value the client sends.
 */
export const CLIENT_ADDRESS_HEADER = 'x-subwatch-client-address';
