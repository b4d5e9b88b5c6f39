"""What an operator watches: Prometheus metrics, the metrics folder shared by worker processes,
and structured JSON log lines that carry a request id and never health data or credentials.

Imports nothing from the web framework; the request middleware is `rugwijzer.web.observe` and
the routes `/healthz`, `/readyz` and `/metrics` are in `rugwijzer.api.health`.
"""
