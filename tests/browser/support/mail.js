// What the customer received: the messages a Maildir holds (startSmtpSink({maildir})), each
// with its headers as sent and its body decoded (cobrador sends UTF-8 text in base64).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function readMaildir(maildir) {
  const folder = path.join(maildir, 'new');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .map((name) => {
      const raw = readFileSync(path.join(folder, name), 'utf8').replace(/\r\n/g, '\n');
      const split = raw.indexOf('\n\n');
      const headers = raw.slice(0, split);
      const body = raw.slice(split + 2);
      const base64 = /content-transfer-encoding:\s*base64/i.test(headers);
      const text = base64 ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
      const to = (headers.match(/^to:(.*)$/im) || [])[1]?.trim() ?? '';
      return { headers, to, text };
    });
}
