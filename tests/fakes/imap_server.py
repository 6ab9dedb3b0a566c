"""A small IMAP4rev1 server on loopback holding one mailbox: enough of the protocol for imaplib's login,
select, search UNSEEN, fetch BODY.PEEK[], store +FLAGS (\\Seen) and logout. It records what was marked seen."""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    user: str
    password: str
    messages: list[bytes] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    logins: int = 0


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, text: str | bytes) -> None:
        self.wfile.write(text if isinstance(text, bytes) else text.encode())

    def handle(self) -> None:
        box = self.server.mailbox
        self.reply("* OK IMAP4rev1 stand-in ready\r\n")
        while line := self.rfile.readline():
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self.reply(f"* CAPABILITY IMAP4rev1\r\n{tag} OK CAPABILITY completed\r\n")
            elif command == "LOGIN":
                user, password = (part.strip('"') for part in args.split(" ", 1))
                ok = (user, password) == (box.user, box.password)
                box.logins += ok
                self.reply(f"{tag} OK LOGIN completed\r\n" if ok else f"{tag} NO [AUTHENTICATIONFAILED] bad login\r\n")
            elif command == "SELECT":
                self.reply(f"* {len(box.messages)} EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Seen)\r\n"
                           f"{tag} OK [READ-WRITE] SELECT completed\r\n")  # fmt: skip
            elif command == "SEARCH":
                unseen = " ".join(str(n) for n in range(1, len(box.messages) + 1) if n not in box.seen)
                self.reply(f"* SEARCH {unseen}".rstrip() + f"\r\n{tag} OK SEARCH completed\r\n")
            elif command == "FETCH":
                number = int(args.split(" ", 1)[0])
                data = box.messages[number - 1]
                self.reply(f"* {number} FETCH (BODY[] {{{len(data)}}}\r\n".encode() + data + b")\r\n")
                self.reply(f"{tag} OK FETCH completed\r\n")
            elif command == "STORE":
                number = int(args.split(" ", 1)[0])
                if re.search(r"\+FLAGS.*\\Seen", args, re.I):
                    box.seen.add(number)
                self.reply(f"* {number} FETCH (FLAGS (\\Seen))\r\n{tag} OK STORE completed\r\n")
            elif command == "LOGOUT":
                self.reply(f"* BYE logging out\r\n{tag} OK LOGOUT completed\r\n")
                return
            else:
                self.reply(f"{tag} BAD unknown command\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    mailbox: Mailbox


class ImapStandIn:
    def __init__(self, mailbox: Mailbox) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.mailbox = mailbox
        self.mailbox = mailbox
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def start(self) -> ImapStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
