"""Rate-limited HTTP server (Flask + Flask-Limiter) for the ratelimit-governor
integration tests.

`servers/flask/.venv/bin/python app.py` listens on 127.0.0.1, port 0 (ephemeral),
and prints exactly one line `LISTENING <port>` on stdout once ready.

Env vars:
  LIMITS       limits stacked on /limited, separated by ";"
               (default "5 per 2 seconds;15 per 10 seconds")
  RETRY_AFTER  "seconds" (default) or "http-date"
               (Flask-Limiter's RATELIMIT_HEADER_RETRY_AFTER_VALUE)

Routes:
  /limited          all LIMITS on this one route (fixed-window, in-memory storage)
  /unlimited        no limit
  GET /stats        {"limited": {"ok": n, "rejected": m}}
  POST /stats/reset zero the counters (the limiter storage is NOT reset)

EXIT_ON_STDIN_EOF=1 makes the server exit when stdin reaches EOF (used by
servers/support.rs so a server never outlives its test process).
"""

import logging
import os
import sys
import threading

from flask import Flask, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.serving import WSGIRequestHandler, make_server

LIMITS = os.environ.get("LIMITS") or "5 per 2 seconds;15 per 10 seconds"
RETRY_AFTER = os.environ.get("RETRY_AFTER") or "seconds"
if RETRY_AFTER not in ("seconds", "http-date"):
    sys.stderr.write(f"app.py: RETRY_AFTER={RETRY_AFTER!r} must be 'seconds' or 'http-date'\n")
    sys.exit(2)

app = Flask(__name__)
app.config.update(
    RATELIMIT_HEADERS_ENABLED=True,
    RATELIMIT_HEADER_RETRY_AFTER_VALUE=RETRY_AFTER,
    RATELIMIT_STORAGE_URI="memory://",
    RATELIMIT_STRATEGY="fixed-window",  # Flask-Limiter's default, made explicit
)
limiter = Limiter(get_remote_address, app=app)

_lock = threading.Lock()
_stats = {}


def _reset_stats():
    with _lock:
        _stats.clear()
        _stats["limited"] = {"ok": 0, "rejected": 0}


def _count(route, field):
    with _lock:
        _stats[route][field] += 1


_reset_stats()

TEXT = {"Content-Type": "text/plain; charset=utf-8"}


@app.errorhandler(429)
def too_many_requests(_err):
    if request.endpoint == "limited":
        _count("limited", "rejected")
    return "Too many requests", 429, TEXT


@app.route("/limited", methods=["GET", "POST", "HEAD"])
@limiter.limit(LIMITS)
def limited():
    _count("limited", "ok")
    return "ok", 200, TEXT


@app.route("/unlimited", methods=["GET", "POST", "HEAD"])
@limiter.exempt
def unlimited():
    return "ok", 200, TEXT


@app.get("/stats")
@limiter.exempt
def stats():
    with _lock:
        return jsonify({k: dict(v) for k, v in _stats.items()})


@app.post("/stats/reset")
@limiter.exempt
def stats_reset():
    _reset_stats()
    return "ok", 200, TEXT


class QuietHandler(WSGIRequestHandler):
    # Note: Werkzeug 3.x's dev server always answers `Connection: close`, so there
    # is no keep-alive here (unlike the express server).

    def log_request(self, *args, **kwargs):  # no per-request access log
        pass


def _exit_on_stdin_eof():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    if os.environ.get("EXIT_ON_STDIN_EOF") == "1":
        threading.Thread(target=_exit_on_stdin_eof, daemon=True).start()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    sys.stdout.write(f"LISTENING {server.server_port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
