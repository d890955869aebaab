"""The governance pages under ``/governance`` (see :mod:`hegui.governance.web.routes`); their zh/en
strings in :mod:`hegui.governance.web.i18n` are merged into the service UI's."""
