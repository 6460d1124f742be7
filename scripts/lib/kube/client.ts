/**
 * The few Kubernetes API calls the cluster check needs, over plain HTTPS: discovery (kind → resource), server-side
 * apply as Argo CD's field manager with strict field validation, and reads. Each answer carries the server's
 * `Warning` headers one by one, so the check can pin every warning to the document that drew it.
 */
import https from 'node:https';

export interface KubeResponse {
  readonly status: number;
  readonly text: string;
  /** Each `Warning: 299 - "…"` header's text. */
  readonly warnings: readonly string[];
}

export interface ResourceInfo {
  /** Plural resource name, e.g. `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
}

/** A rendered document: what every call here takes. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Argo CD's field manager, so a later `kubectl diff --server-side` sees the fields as Argo CD would own them. */
export const FIELD_MANAGER = 'argocd-controller';

export class KubeClient {
  private resources = new Map<string, ResourceInfo>();
  private readonly agent: https.Agent;

  constructor(private readonly options: { url: string; token: string; ca: string }) {
    this.agent = new https.Agent({ ca: options.ca, keepAlive: true });
  }

  request(method: string, path: string, body?: string, contentType = 'application/json'): Promise<KubeResponse> {
    const url = new URL(path, this.options.url);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.options.token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': contentType } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const warnings: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) {
              if (res.rawHeaders[i]?.toLowerCase() === 'warning')
                warnings.push(warningText(res.rawHeaders[i + 1] ?? ''));
            }
            resolve({ status: res.statusCode ?? 0, text, warnings });
          });
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
      req.once('error', reject);
      req.end(body);
    });
  }

  /** Re-read discovery: after CRDs are served, their kinds become appliable. */
  async discover(): Promise<void> {
    const found = new Map<string, ResourceInfo>();
    const groupVersions = ['v1'].map((v) => `/api/${v}`);
    const apis = JSON.parse((await this.request('GET', '/apis')).text) as {
      groups: { versions: { groupVersion: string }[] }[];
    };
    for (const group of apis.groups) for (const v of group.versions) groupVersions.push(`/apis/${v.groupVersion}`);
    await Promise.all(
      groupVersions.map(async (gvPath) => {
        const response = await this.request('GET', gvPath);
        if (response.status !== 200) return; // a group version that is going away answers 404 for a moment
        const list = JSON.parse(response.text) as {
          groupVersion: string;
          resources: { name: string; kind: string; namespaced: boolean }[];
        };
        for (const r of list.resources) {
          if (!r.name.includes('/'))
            found.set(`${list.groupVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
        }
      }),
    );
    this.resources = found;
  }

  resourceOf(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.resources.get(`${apiVersion}/${kind}`);
  }

  /** REST path of one object (its namespace, if namespaced, defaulting to `defaultNamespace`). */
  objectPath(obj: KubeObject, defaultNamespace = 'default'): string {
    const info = this.resourceOf(obj.apiVersion, obj.kind);
    if (!info) throw new Error(`the server does not serve ${obj.apiVersion} ${obj.kind}`);
    const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${obj.metadata.namespace ?? defaultNamespace}` : '';
    return `${base}${ns}/${info.plural}/${encodeURIComponent(obj.metadata.name)}`;
  }

  /** Server-side apply, for real (unless `dryRun`): stored, defaulted and admitted exactly as a sync would do it. */
  apply(obj: KubeObject, defaultNamespace?: string, options: { dryRun?: boolean } = {}): Promise<KubeResponse> {
    const query = `fieldManager=${FIELD_MANAGER}&fieldValidation=Strict&force=true${options.dryRun ? '&dryRun=All' : ''}`;
    return this.request(
      'PATCH',
      `${this.objectPath(obj, defaultNamespace)}?${query}`,
      JSON.stringify(obj),
      'application/apply-patch+yaml',
    );
  }

  async get(path: string): Promise<Record<string, unknown> | undefined> {
    const response = await this.request('GET', path);
    return response.status === 200 ? (JSON.parse(response.text) as Record<string, unknown>) : undefined;
  }
}

/** `299 - "text"` (RFC 7234 warn-code, agent, quoted text) → `text`. */
export function warningText(header: string): string {
  const match = /^\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/.exec(header);
  return match ? (match[1] as string).replace(/\\(.)/g, '$1') : header;
}

/** The message of a failed call: the `Status` object's message, or the raw body. */
export function statusMessage(response: KubeResponse): string {
  try {
    const status = JSON.parse(response.text) as { message?: string };
    if (status.message) return status.message;
  } catch {
    /* not JSON */
  }
  return `HTTP ${response.status}: ${response.text.slice(0, 500)}`;
}
