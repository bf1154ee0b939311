import { UUID } from '@eventstore/db-client/generated/shared_pb';

const MASK_64 = (1n << 64n) - 1n;

/** A wire UUID (string form, or structured msb/lsb int64 pair) as a lower-case string; '' when unset. */
export function fromUuid(uuid: UUID | undefined): string {
  if (!uuid) return '';
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const msb = BigInt(structured.getMostSignificantBits()) & MASK_64;
    const lsb = BigInt(structured.getLeastSignificantBits()) & MASK_64;
    const hex = msb.toString(16).padStart(16, '0') + lsb.toString(16).padStart(16, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return '';
}

/** Builds a wire UUID in the form the caller asked for (`uuid_option`). */
export function toUuid(id: string, form: 'string' | 'structured'): UUID {
  const uuid = new UUID();
  if (form === 'string') return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const structured = new UUID.Structured();
  structured.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString());
  structured.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16, 32)}`)).toString());
  return uuid.setStructured(structured);
}
