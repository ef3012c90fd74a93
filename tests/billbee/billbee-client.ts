import createBillbeeClient from 'billbee-node-api';

export interface BillbeeLogin {
  apiKey: string;
  user: string;
  pass: string;
}

/**
 * The published `billbee-node-api` client (npm), pointed at our gateway: its base URL is fixed to
 * app.billbee.io, so every call passes an absolute URL (axios ignores baseURL then; reference §12).
 */
export class BillbeeApi {
  private readonly client: any;

  constructor(
    readonly baseUrl: string,
    login: BillbeeLogin,
  ) {
    this.client = createBillbeeClient(login);
  }

  get(path: string, params: Record<string, unknown> = {}): Promise<any> {
    return this.client.get(`${this.baseUrl}${path}`, params);
  }
  post(path: string, body: unknown): Promise<any> {
    return this.client.post(`${this.baseUrl}${path}`, body);
  }
  put(path: string, body: unknown): Promise<any> {
    return this.client.put(`${this.baseUrl}${path}`, body);
  }
  del(path: string): Promise<any> {
    return this.client.del(`${this.baseUrl}${path}`);
  }

  /** The HTTP status and body a call was refused with (fails when it succeeded). */
  async refusal(call: Promise<unknown>): Promise<{ status: number; body: any; headers: Record<string, string> }> {
    try {
      await call;
    } catch (err) {
      const response = (err as { response?: { status: number; data: any; headers: Record<string, string> } }).response;
      if (response) return { status: response.status, body: await response.data, headers: response.headers };
      throw err;
    }
    throw new Error('the call was expected to be refused');
  }
}
