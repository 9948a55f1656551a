"""Schemathesis (property-based tests generated from the served /openapi.json) over the
sandbox brand API, introspection and revocation, with every check it has: each answer's
status, headers and body are the ones the document gives for that request, and the OAuth
endpoints refuse what RFC 6749, 7009 and 7662 say to refuse. Against the real binary."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from support import ADMIN, Server, draft

KEY = "schemathesis-introspection-key-0123456789"
MANY = 1_000_000


class Schemathesis(unittest.TestCase):
    def test_the_apis_answer_as_their_document_says(self):
        # The `st` installed beside this Python (pip's scripts folder need not be on PATH).
        st = os.path.join(os.path.dirname(sys.executable), "st")
        if not os.path.exists(st):
            self.fail("schemathesis is not installed (scripts/test installs it)")
        # The limits are the rate limiter's own tests'; here thousands of generated calls
        # from one address must each get the answer to what they sent.
        srv = Server(
            TOKENSMITH_INTROSPECTION_KEY=KEY,
            TOKENSMITH_AUTH_FAILURE_LIMIT=MANY,
            TOKENSMITH_INTROSPECTION_LIMIT=MANY,
            TOKENSMITH_REVOCATION_LIMIT=MANY,
            TOKENSMITH_REPORT_LIMIT=MANY,
        )
        self.addCleanup(srv.close)
        srv.start()
        admin = srv.sign_in(ADMIN)
        self.assertEqual(srv.call_form(admin, "set_api_access", "enabled=true")[0], 200)
        status, token = srv.call_json(admin, "create_token", draft("Schemathesis", srv.user_id(ADMIN)))
        self.assertEqual(status, 200, token)
        folder = tempfile.mkdtemp(prefix="tokensmith-schemathesis-")
        self.addCleanup(shutil.rmtree, folder, True)
        # Each operation gets the credentials its `security` names.
        with open(os.path.join(folder, "schemathesis.toml"), "w") as f:
            f.write(
                f'[auth.openapi.basic]\nusername = "{token["sid"]}"\npassword = "{token["secret"]}"\n'
                f'[auth.openapi.introspection_key]\nbearer = "{KEY}"\n'
            )
        run = subprocess.run(
            [
                st, "run", f"http://127.0.0.1:{srv.port}/openapi.json",
                "--checks", "all",
                "--max-examples", os.environ.get("SCHEMATHESIS_EXAMPLES", "40"),
                "--seed", "20261204",
                "--workers", "1",
                "--request-timeout", "10",
                "--no-color",
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=900,
        )
        tail = "\n".join(run.stdout.splitlines()[-60:])
        print(f"\n[schemathesis]\n{tail}", file=sys.stderr)
        self.assertEqual(run.returncode, 0, f"{tail}\n{run.stderr[-2000:]}\n{srv.log_tail()}")


if __name__ == "__main__":
    unittest.main()
