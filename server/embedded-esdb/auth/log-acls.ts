import type { EventLog } from '../log/event-log';
import type { RecordedEvent } from '../log/recorded-event';
import { type AclSource, BUILT_IN_DEFAULT_ACLS, type DefaultAcls, parseDefaultAcls } from './stream-acl';

/** The stream holding the default ACL (`$userStreamAcl`, `$systemStreamAcl`). */
export const SETTINGS_STREAM = '$settings';

/**
 * ACLs as the log holds them at the moment of the call: a stream's `$acl` from its current
 * metadata, and the default ACL from the newest `$settings` event (parsed once per event).
 */
export function aclsOf(log: EventLog): AclSource {
  let parsedFrom: RecordedEvent | undefined;
  let parsed: DefaultAcls = BUILT_IN_DEFAULT_ACLS;
  return {
    streamAcl: (stream) => log.metadataOf(stream).acl,
    defaultAcls: () => {
      const settings = log.lastEvent(SETTINGS_STREAM);
      if (!settings) return BUILT_IN_DEFAULT_ACLS;
      if (settings !== parsedFrom) {
        parsedFrom = settings;
        parsed = parseDefaultAcls(settings.data);
      }
      return parsed;
    },
  };
}
