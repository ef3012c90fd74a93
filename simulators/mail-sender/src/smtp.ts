import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface SmtpTarget {
  host: string;
  port: number;
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipient(s) (RCPT TO). */
  to: string | string[];
  secure?: boolean;
  auth?: { user: string; pass: string };
}

/** Sends prebuilt RFC 822 bytes unchanged; the envelope is separate from the message headers. */
export async function sendMail(raw: Buffer, target: SmtpTarget): Promise<{ messageId: string; response: string; accepted: string[] }> {
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure ?? false,
    // Local sinks have no certificate for 127.0.0.1; this sender is a test double, not a mailer.
    ignoreTLS: !target.secure,
    ...(target.auth ? { auth: target.auth } : {}),
    connectionTimeout: 10_000,
  });
  try {
    const info: SMTPTransport.SentMessageInfo = await transport.sendMail({
      envelope: { from: target.from, to: Array.isArray(target.to) ? target.to : [target.to] },
      raw,
    });
    return { messageId: info.messageId, response: info.response, accepted: info.accepted.map(String) };
  } finally {
    transport.close();
  }
}
