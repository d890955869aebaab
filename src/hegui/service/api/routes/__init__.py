"""One router per resource; :mod:`hegui.service.api.main` includes them under ``/api/v1``."""
