"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, every message it
receives appended to a file as one JSON line (with its Message-ID header). Prints
"ready <port>" once listening. With SMTP_SINK_DELAY=<seconds> it takes that long to
accept each message (the message is written when accepted).

usage: python3 smtp_sink.py OUTPUT_FILE
"""
import asyncio
import email
import json
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(float(os.environ.get("SMTP_SINK_DELAY", "0")))
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "message_id": email.message_from_bytes(envelope.content)["Message-ID"],
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = free_port()
    controller = Controller(Sink(sys.argv[1]), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"ready {port}", flush=True)
    try:
        # The test kills us when it is done; stdin closing also ends the sink.
        while sys.stdin.read(1):
            time.sleep(0.1)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
