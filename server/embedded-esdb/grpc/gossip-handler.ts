import { randomUUID } from 'node:crypto';
import type { handleUnaryCall } from '@grpc/grpc-js';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { toUuid } from './uuid';

/**
 * Gossip.Read: a one-member cluster whose leader is this server, so clients configured with
 * `endpoints` / `esdb+discover://` connect back here (§4.2).
 */
export function createGossipReadHandler(endpoint: () => { host: string; port: number }): handleUnaryCall<Empty, ClusterInfo> {
  const instanceId = randomUUID();
  return (_call, callback) => {
    const { host, port } = endpoint();
    const member = new MemberInfo()
      .setInstanceId(toUuid(instanceId, 'string'))
      .setTimeStamp(String(BigInt(Date.now()) * 10_000n))
      .setState(MemberInfo.VNodeState.LEADER)
      .setIsAlive(true)
      .setHttpEndPoint(new EndPoint().setAddress(host).setPort(port));
    callback(null, new ClusterInfo().setMembersList([member]));
  };
}
