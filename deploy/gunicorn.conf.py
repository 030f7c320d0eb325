"""gunicorn settings for the portal, the same in the container and in `scripts/dev.sh prod-local`.

Environment: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (workers, default 4).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# The chat waits on Rasa (read timeout 8 s) and Rasa's actions call back into the portal, so a
# worker must not be killed while it waits; 30 s is well above the longest request.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Requests in the access log by path only: a query string can hold an e-mail address (the audit
# filter) and personal data never goes into a log.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Each worker builds its own app and connection pool after the fork.
preload_app = False
