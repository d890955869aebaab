"""The privacy policy given with an upload: ``version.policy_sha256`` and ``policy_file_name``
(nullable). A version is now identified by the pair (APK sha256, policy sha256): the UNIQUE
constraint on ``sha256`` alone becomes a unique index on the pair plus a partial unique index on
``sha256`` where no policy was given (NULLs are distinct in a UNIQUE constraint).

Downgrade refuses when the same APK bytes were uploaded with more than one policy (the old unique
``sha256`` cannot hold them); otherwise it drops the columns and the policy files' link.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 23:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_POLICY = "policy_sha256 IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("version", recreate="auto") as batch_op:
        batch_op.add_column(sa.Column("policy_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("policy_file_name", sa.String(length=255), nullable=True))
        batch_op.drop_constraint("uq_version_sha256", type_="unique")
    op.create_index("uq_version_sha256_policy", "version", ["sha256", "policy_sha256"], unique=True)
    op.create_index(
        "uq_version_sha256_no_policy",
        "version",
        ["sha256"],
        unique=True,
        sqlite_where=sa.text(NO_POLICY),
        postgresql_where=sa.text(NO_POLICY),
    )


def downgrade() -> None:
    bind = op.get_bind()
    twice = bind.execute(
        sa.text("SELECT sha256 FROM version GROUP BY sha256 HAVING COUNT(*) > 1 LIMIT 1")
    ).first()
    if twice is not None:
        raise RuntimeError(
            f"cannot downgrade below 0003: APK {twice[0]} was uploaded with more than one privacy "
            "policy (one version each); revision 0002 allows one version per APK"
        )
    op.drop_index("uq_version_sha256_no_policy", table_name="version")
    op.drop_index("uq_version_sha256_policy", table_name="version")
    with op.batch_alter_table("version", recreate="auto") as batch_op:
        batch_op.drop_column("policy_file_name")
        batch_op.drop_column("policy_sha256")
        batch_op.create_unique_constraint("uq_version_sha256", ["sha256"])
