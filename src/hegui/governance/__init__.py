"""Platform governance (平台治理): accounts and group chats of a messaging platform, complaints from
users, review cases, verified decisions by moderators, sanctions on an escalation ladder, appeals,
public notices with masked identifiers, and registration controls. A module of the hegui service:
it shares its database (``gov_*`` tables on the service's ``Base``), roles, audit log and web UI.

    models.py         the tables
    domain/           pure rules: the ladder (data/ladder.yaml), masking, categories, notice counts
    crud/             data access without HTTP (every decision audited)
    api/              ``/api/v1/governance/...`` routers
    web/              pages under ``/governance/...``
    notice.py         HTML and text of a public notice
    screen/           the text screener (screening scores only order the review queue)

See docs/governance.md.
"""
