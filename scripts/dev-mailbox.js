// The merchant's mailbox in the no-Docker demo (compose uses Mailpit): an SMTP sink on loopback
// that prints one line per received forward copy.
const { SMTPServer } = require('smtp-server');

const port = Number(process.env.MAILBOX_PORT || 1025);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  onData(stream, session, callback) {
    let size = 0;
    stream.on('data', (c) => (size += c.length));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      process.stdout.write(`mail for ${to} (${size} bytes)\n`);
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`merchant mailbox listening on 127.0.0.1:${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
