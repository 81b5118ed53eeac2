// A real Ed25519 key pair for tests and the bench: the public key in the portal's 64-hex form, and a signer
// that produces Discord's X-Signature-Ed25519 / X-Signature-Timestamp headers.
import { generateKeyPairSync, sign } from 'node:crypto';

export type DiscordSigner = {
  publicKeyHex: string;
  headers(body: string | Buffer, timestamp?: number): Record<string, string>;
};

export function createDiscordSigner(): DiscordSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return {
    publicKeyHex,
    headers(body, timestamp = Math.floor(Date.now() / 1000)) {
      const signed = Buffer.concat([Buffer.from(String(timestamp)), Buffer.from(body)]);
      return {
        'content-type': 'application/json',
        'x-signature-ed25519': sign(null, signed, privateKey).toString('hex'),
        'x-signature-timestamp': String(timestamp),
      };
    },
  };
}
