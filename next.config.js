// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and gRPC modules stay outside the route bundles: route handlers reach the runtime
  // through server/registry.ts (globalThis), never by importing these directly.
  serverExternalPackages: ['better-sqlite3', '@eventstore/db-client', '@grpc/grpc-js', 'pino'],
};

module.exports = nextConfig;
