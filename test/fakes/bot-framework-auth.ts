// A fake of the Bot Framework's token service on 127.0.0.1: the OpenID metadata and key
// set botbuilder checks JWTs against (ToBotFromChannelOpenIdMetadataUrl), and tokens signed
// as the Bot Framework signs the ones it sends with each activity. Outbound, a credentials
// factory that lets replies reach the fake connector without a Microsoft token.
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ConfigurationBotFrameworkAuthentication } from "botbuilder";

export const APP_ID = "00000000-0000-4000-8000-00000000b07";
export const CHANNEL_ISSUER = "https://api.botframework.com";

type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;

export type TokenClaims = { iss: string; aud: string; serviceurl?: string; exp: number; nbf: number } & Record<
  string,
  unknown
>;

export type FakeBotFrameworkAuth = {
  metadataUrl: string;
  /** a channel token for `serviceUrl`, signed with the published key; `claims` override any claim */
  token(serviceUrl: string, claims?: Partial<TokenClaims>): string;
  /** the same token signed with a key the metadata does not publish (same key id) */
  forged(serviceUrl: string): string;
  /** the key set answers 500 from now on (a key fetch that fails) */
  failKeys(): void;
  /** the key set answers again */
  healKeys(): void;
  /** how many times the key set was fetched */
  keyFetches(): number;
  credentialsFactory: CredentialsFactory;
  close(): Promise<void>;
};

const KID = "tandem-test-key";
const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function signJwt(payload: Record<string, unknown>, key: KeyObject): string {
  const head = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: KID }));
  const body = base64url(JSON.stringify(payload));
  return `${head}.${body}.${base64url(sign("RSA-SHA256", Buffer.from(`${head}.${body}`), key))}`;
}

export async function startFakeBotFrameworkAuth(): Promise<FakeBotFrameworkAuth> {
  const published = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = published.publicKey.export({ format: "jwk" });
  let failing = false;
  let fetches = 0;
  let port = 0;
  const server: Server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/openid") {
      res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `http://127.0.0.1:${port}/keys` }));
    } else if (req.url === "/keys") {
      fetches++;
      if (failing) res.writeHead(500).end("{}");
      else res.end(JSON.stringify({ keys: [{ kty: "RSA", use: "sig", kid: KID, n: jwk.n, e: jwk.e }] }));
    } else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;

  const claims = (serviceUrl: string, overrides: Partial<TokenClaims> = {}): TokenClaims => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: CHANNEL_ISSUER, aud: APP_ID, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, ...overrides };
  };

  const credentialsFactory = {
    isValidAppId: async (appId: string) => appId === APP_ID,
    isAuthenticationDisabled: async () => false,
    createCredentials: async () => ({
      signRequest: async <T extends { headers: { set(name: string, value: string): void } }>(request: T) => {
        request.headers.set("authorization", "Bearer outbound-test-token");
        return request;
      },
    }),
  } as unknown as CredentialsFactory;

  return {
    metadataUrl: `http://127.0.0.1:${port}/openid`,
    token: (serviceUrl, overrides) => signJwt(claims(serviceUrl, overrides), published.privateKey),
    forged: (serviceUrl) => signJwt(claims(serviceUrl), other.privateKey),
    failKeys: () => {
      failing = true;
    },
    healKeys: () => {
      failing = false;
    },
    keyFetches: () => fetches,
    credentialsFactory,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
