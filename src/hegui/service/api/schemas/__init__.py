"""Request and response schemas of the API, by role: ``XCreate`` (what a client sends, bounded and
strict: unknown fields are refused) and ``XPublic`` (what the API returns, built from ORM rows with
``from_attributes``). Split by resource; ORM models stay in :mod:`hegui.service.db.models`."""
