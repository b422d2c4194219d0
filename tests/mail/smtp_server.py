"""A real SMTP server for Dialogue's mail tests (aiosmtpd, from PyPI via .ci/ensure-smtp).

It accepts mail on 127.0.0.1:PORT with STARTTLS (or, with --implicit, TLS from the start)
under the test's certificate and, when asked, AUTH PLAIN/LOGIN for one user only. Every message accepted is written whole to DIR as
NNNNNN.eml, with its envelope in NNNNNN.json. Before answering DATA it reads DIR/answers.json
(a list of replies such as "451 4.3.0 try again later"); if the list is not empty the first
reply is taken off and given instead of accepting, so a test scripts transient and permanent
refusals while the server runs.
"""

import argparse
import asyncio
import json
import os
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keeper:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.count = 0

    def scripted_answer(self):
        path = os.path.join(self.directory, "answers.json")
        with self.lock:
            try:
                with open(path, encoding="utf-8") as f:
                    answers = json.load(f)
            except (FileNotFoundError, json.JSONDecodeError):
                return None
            if not answers:
                return None
            first, rest = answers[0], answers[1:]
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                json.dump(rest, f)
            os.replace(path + ".tmp", path)
            return first

    async def handle_DATA(self, server, session, envelope):
        answer = self.scripted_answer()
        if answer is not None:
            return answer
        with self.lock:
            self.count += 1
            name = f"{self.count:06d}"
        raw = envelope.original_content or envelope.content
        with open(os.path.join(self.directory, name + ".eml.tmp"), "wb") as f:
            f.write(raw)
        with open(os.path.join(self.directory, name + ".json"), "w", encoding="utf-8") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": session.ssl is not None
                       or server.transport.get_extra_info("ssl_object") is not None,
                       "authenticated": bool(session.authenticated)}, f)
        os.replace(os.path.join(self.directory, name + ".eml.tmp"),
                   os.path.join(self.directory, name + ".eml"))
        return "250 2.0.0 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
    return check


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--implicit", action="store_true",
                        help="TLS from the first byte (smtps) instead of STARTTLS")
    args = parser.parse_args()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    options = {}
    if args.user:
        options = {"authenticator": authenticator(args.user, args.password),
                   "auth_required": True, "auth_require_tls": True}
    if args.implicit:
        options["ssl_context"] = context
        # aiosmtpd only counts STARTTLS as TLS for AUTH; here every byte is already TLS.
        if args.user:
            options["auth_require_tls"] = False
    else:
        options["tls_context"] = context
        options["require_starttls"] = True
    controller = Controller(Keeper(args.dir), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    with open(os.path.join(args.dir, "ready"), "w") as f:
        f.write("ready")
    try:
        asyncio.run(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
