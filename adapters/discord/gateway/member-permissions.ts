// Whether the clicking member holds a permission, from the interaction's computed permission bits.
import { PermissionFlagsBits } from 'discord-api-types/v10';

/** `permissions` is the decimal bit set Discord computes for the member in that channel. */
export function hasPermission(permissions: string | null, flag: bigint): boolean {
  if (!permissions || !/^\d+$/.test(permissions)) return false;
  const bits = BigInt(permissions);
  return (bits & PermissionFlagsBits.Administrator) !== 0n || (bits & flag) !== 0n;
}
