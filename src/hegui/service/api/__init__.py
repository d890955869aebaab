"""The HTTP API (``/api/v1``): one router per resource in ``routes/``, dependencies in ``deps.py``,
request and response schemas in ``schemas/``, the error envelope in ``errors.py``.

Every route checks the caller's role through :func:`hegui.service.api.deps.require`; the only open
routes are ``/api/v1/health``, ``/api/v1/public/notices`` and the OpenAPI document and docs.
"""
