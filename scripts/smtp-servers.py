#!/usr/bin/env python3
"""SMTP servers on 127.0.0.1 for the mailer's tests (aiosmtpd), one per behaviour:

  sink      accepts everything, writes each message to SPOOL/sink-N.eml
  secure    STARTTLS (a self-signed certificate) and AUTH required (user
            "portal", password "s3cret pass"), writes to SPOOL/secure-N.eml
  tempfail  answers 451 to the first message of each recipient, then accepts
  reject    answers 550 to every message
  drop      writes the message to SPOOL/drop-N.eml; the first time it sees a
            Message-ID it then closes the connection without answering (the
            server took the message, the client never hears so), later copies
            are answered 250

Usage: smtp-servers.py SPOOL CERT KEY. Prints "NAME PORT" per server, then
"ready", and serves until killed.
"""
import asyncio
from email import message_from_bytes
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword, SMTP

SPOOL, CERT, KEY = sys.argv[1], sys.argv[2], sys.argv[3]
counts = {}


def spool(name, envelope):
    counts[name] = counts.get(name, 0) + 1
    path = os.path.join(SPOOL, f"{name}-{counts[name]}.eml")
    data = envelope.original_content or envelope.content
    with open(path + ".tmp", "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.rename(path + ".tmp", path)


class Sink:
    def __init__(self, name):
        self.name = name

    async def handle_DATA(self, server, session, envelope):
        spool(self.name, envelope)
        return "250 OK queued"


class TempFail:
    def __init__(self):
        self.seen = set()

    async def handle_DATA(self, server, session, envelope):
        key = tuple(envelope.rcpt_tos)
        if key not in self.seen:
            self.seen.add(key)
            return "451 4.3.0 Try again later"
        spool("tempfail", envelope)
        return "250 OK queued"


class Reject:
    async def handle_DATA(self, server, session, envelope):
        return "550 5.1.1 No such mailbox here"


class Drop:
    def __init__(self):
        self.seen = set()

    async def handle_DATA(self, server, session, envelope):
        spool("drop", envelope)
        message_id = message_from_bytes(envelope.original_content or b"")["Message-ID"]
        if message_id not in self.seen:
            self.seen.add(message_id)
            server.transport.abort()
        return "250 OK queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"portal"
        and auth_data.password == b"s3cret pass"
    )
    # handled=False: aiosmtpd answers 535 itself (handled=True would leave the
    # client waiting for an answer).
    return AuthResult(success=ok, handled=False)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)
    servers = [
        ("sink", Controller(Sink("sink"), hostname="127.0.0.1", port=free_port())),
        ("secure", Controller(
            Sink("secure"), hostname="127.0.0.1", port=free_port(),
            tls_context=context, require_starttls=True,
            authenticator=authenticator, auth_required=True,
            auth_require_tls=True,
            server_hostname="localhost")),
        ("tempfail", Controller(TempFail(), hostname="127.0.0.1", port=free_port())),
        ("reject", Controller(Reject(), hostname="127.0.0.1", port=free_port())),
        ("drop", Controller(Drop(), hostname="127.0.0.1", port=free_port())),
    ]
    for name, controller in servers:
        controller.start()
        print(name, controller.port, flush=True)
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_until_complete(asyncio.Event().wait())
    finally:
        for _, controller in servers:
            controller.stop()


if __name__ == "__main__":
    main()
