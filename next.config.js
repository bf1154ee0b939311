// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lets a second checkout-local build (e.g. a parallel e2e run) use its own output folder.
  distDir: process.env.SUBWATCH_NEXT_DIST_DIR || '.next',
  // Native and gRPC modules stay outside the route bundles: route handlers reach the runtime
  // through server/registry.ts (globalThis), never by importing these directly.
  serverExternalPackages: ['better-sqlite3', '@eventstore/db-client', '@grpc/grpc-js', 'pino'],
  // Headers that never vary, on every response (static assets included). The per-request
  // Content-Security-Policy (nonce) is set in proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
