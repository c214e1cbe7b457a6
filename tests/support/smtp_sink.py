#!/usr/bin/python3
"""A real SMTP server for cobrador's integration tests, built on aiosmtpd.

Listens on 127.0.0.1 (on a free port unless --port is given) and prints "PORT <n>" as its first
line on stdout once it accepts connections. Each message it accepts is written to
OUT_DIR/<nnnn>.json, atomically (written then renamed), before the server answers 250, so a
client that got its 250 finds the file. Exits on SIGTERM/SIGINT, when its stdin closes (the
test that started it has gone away), or after --lifetime seconds, whichever comes first.

Messages are parsed with Python's own email package, so the test checks cobrador's encoding
against an independent decoder. Recipients whose local part starts with "reject" are refused
with 550, for tests of permanent failures.

Run with /usr/bin/python3: a python3 earlier on PATH may not see Debian's python3-aiosmtpd.
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("reject"):
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth_login": session.auth_data.login.decode("utf-8", "replace") if session.authenticated else "",
            "raw": raw.decode("utf-8", "backslashreplace"),
            "raw_is_ascii": all(b < 0x80 for b in raw),
            "subject": str(parsed["subject"]),
            "from": str(parsed["from"]),
            "to": str(parsed["to"]),
            "date": str(parsed["date"]),
            "message_id": str(parsed["message-id"]),
            "content_type": parsed.get_content_type(),
            "charset": parsed.get_content_charset(),
            "body": parsed.get_content(),
            "defects": [repr(d) for d in parsed.defects]
            + [repr(d) for k in parsed.keys() for d in parsed[k].defects],
        }
        path = os.path.join(self.out_dir, f"{self.count:04d}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=1)
        os.rename(path + ".tmp", path)
        return f"250 2.0.0 Ok: queued as cobrador-sink-{self.count}"


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return authenticate


def smtp_options(args, sink):
    options = {"hostname": "sink.cobrador.test"}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options["tls_context"] = context
        options["require_starttls"] = args.require_starttls
    if args.auth:
        user, password = args.auth.split(":", 1)
        options["authenticator"] = authenticator_for(user, password)
        options["auth_required"] = True
    return options


async def serve(args):
    loop = asyncio.get_running_loop()
    sink = Sink(args.out_dir)
    options = smtp_options(args, sink)
    server = await loop.create_server(lambda: SMTP(sink, **options), host="127.0.0.1", port=args.port)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096):
            stop.set()
    loop.add_reader(sys.stdin.fileno(), on_stdin)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    try:
        await asyncio.wait_for(stop.wait(), timeout=args.lifetime)
    except asyncio.TimeoutError:
        pass
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--auth", help="USER:PASSWORD that AUTH accepts; makes AUTH required")
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
