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
};

module.exports = nextConfig;
