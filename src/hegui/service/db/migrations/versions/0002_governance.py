"""Platform governance (issue 8): the gov_* tables of hegui.governance.models and the ``moderator``
role in user_account's role CHECK.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 21:59:09.976194
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_ROLES = "role IN ('developer', 'reviewer', 'store', 'regulator', 'admin')"
NEW_ROLES = "role IN ('developer', 'reviewer', 'store', 'regulator', 'moderator', 'admin')"


def _role_check(condition: str) -> None:
    """Replace user_account's role CHECK (SQLite: the batch copy of the table gets the new one)."""
    with op.batch_alter_table("user_account", recreate="auto") as batch_op:
        batch_op.drop_constraint("ck_role_values", type_="check")
        batch_op.create_check_constraint("ck_role_values", sa.text(condition))


def upgrade() -> None:
    _role_check(NEW_ROLES)
    op.create_table(
        "gov_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("nickname", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("real_name", sa.String(length=60), nullable=True),
        sa.Column("phone_bound", sa.Boolean(), nullable=False),
        sa.Column("real_name_verified", sa.Boolean(), nullable=False),
        sa.Column("is_minor", sa.Boolean(), nullable=False),
        sa.Column("linked_to_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["linked_to_id"],
            ["gov_accounts.id"],
            name=op.f("fk_gov_accounts_linked_to_id_gov_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_accounts")),
        sa.UniqueConstraint("uid", name=op.f("uq_gov_accounts_uid")),
    )
    op.create_table(
        "gov_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gid", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["gov_accounts.id"],
            name=op.f("fk_gov_groups_owner_id_gov_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_groups")),
        sa.UniqueConstraint("gid", name=op.f("uq_gov_groups_gid")),
    )
    op.create_table(
        "gov_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=10), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'decided', 'appealed')", name="ck_gov_cases_status"),
        sa.CheckConstraint("target_type IN ('account', 'group')", name="ck_gov_cases_target_type"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["gov_accounts.id"],
            name=op.f("fk_gov_cases_account_id_gov_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["gov_groups.id"],
            name=op.f("fk_gov_cases_group_id_gov_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_cases")),
    )
    with op.batch_alter_table("gov_cases", schema=None) as batch_op:
        batch_op.create_index("ix_gov_case_status_score", ["status", "score"], unique=False)
        batch_op.create_index(
            "ix_gov_case_target",
            ["target_type", "account_id", "group_id", "status"],
            unique=False,
        )

    op.create_table(
        "gov_content",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("media_ref", sa.String(length=300), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("forwarded", sa.Boolean(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('text', 'link', 'media')", name="ck_gov_content_kind"),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["gov_accounts.id"],
            name=op.f("fk_gov_content_author_id_gov_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["gov_groups.id"],
            name=op.f("fk_gov_content_group_id_gov_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_content")),
    )
    op.create_table(
        "gov_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'published')", name="ck_gov_notices_status"),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_gov_notices_created_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_notices")),
    )
    op.create_table(
        "gov_registration_controls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.Column("resume_on", sa.Date(), nullable=True),
        sa.Column("require_phone", sa.Boolean(), nullable=False),
        sa.Column("require_real_name", sa.Boolean(), nullable=False),
        sa.Column("minors_mode", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["user_account.id"],
            name=op.f("fk_gov_registration_controls_updated_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_registration_controls")),
        sa.UniqueConstraint("channel", name=op.f("uq_gov_registration_controls_channel")),
    )
    op.create_table(
        "gov_complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reporter_uid", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=10), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('client', 'web', 'moderator')", name="ck_gov_complaints_source"),
        sa.CheckConstraint("target_type IN ('account', 'group')", name="ck_gov_complaints_target_type"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["gov_accounts.id"],
            name=op.f("fk_gov_complaints_account_id_gov_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["gov_cases.id"],
            name=op.f("fk_gov_complaints_case_id_gov_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["gov_groups.id"],
            name=op.f("fk_gov_complaints_group_id_gov_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["user_account.id"],
            name=op.f("fk_gov_complaints_submitted_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_complaints")),
    )
    with op.batch_alter_table("gov_complaints", schema=None) as batch_op:
        batch_op.create_index("ix_gov_complaint_case", ["case_id"], unique=False)

    op.create_table(
        "gov_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("evidence_verified", sa.Boolean(), nullable=False),
        sa.Column("evasion", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("outcome IN ('violation', 'no_violation')", name="ck_gov_decisions_outcome"),
        sa.CheckConstraint(
            "severity IN ('low', 'medium', 'high', 'severe')",
            name="ck_gov_decisions_severity",
        ),
        sa.CheckConstraint("state IN ('in_force', 'overturned')", name="ck_gov_decisions_state"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["gov_cases.id"],
            name=op.f("fk_gov_decisions_case_id_gov_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["user_account.id"],
            name=op.f("fk_gov_decisions_decided_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_decisions")),
    )
    with op.batch_alter_table("gov_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_gov_decision_case", ["case_id"], unique=False)
        batch_op.create_index("ix_gov_decision_decided_at", ["decided_at"], unique=False)

    op.create_table(
        "gov_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'upheld', 'overturned')",
            name="ck_gov_appeals_status",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["gov_decisions.id"],
            name=op.f("fk_gov_appeals_decision_id_gov_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"],
            ["user_account.id"],
            name=op.f("fk_gov_appeals_filed_by_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"],
            ["user_account.id"],
            name=op.f("fk_gov_appeals_resolved_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_appeals")),
    )
    with op.batch_alter_table("gov_appeals", schema=None) as batch_op:
        batch_op.create_index("ix_gov_appeal_decision", ["decision_id"], unique=False)

    op.create_table(
        "gov_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("media_ref", sa.String(length=300), nullable=False),
        sa.CheckConstraint("kind IN ('text', 'link', 'media')", name="ck_gov_evidence_kind"),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["gov_complaints.id"],
            name=op.f("fk_gov_evidence_complaint_id_gov_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["content_id"],
            ["gov_content.id"],
            name=op.f("fk_gov_evidence_content_id_gov_content"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_evidence")),
    )
    with op.batch_alter_table("gov_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_gov_evidence_complaint", ["complaint_id"], unique=False)

    op.create_table(
        "gov_sanctions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=10), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("strike_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.Integer(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('warning', 'content_removal', 'restriction', 'temp_ban', 'permanent_ban', 'disband')",
            name="ck_gov_sanctions_kind",
        ),
        sa.CheckConstraint("target_type IN ('account', 'group')", name="ck_gov_sanctions_target_type"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["gov_accounts.id"],
            name=op.f("fk_gov_sanctions_account_id_gov_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["gov_decisions.id"],
            name=op.f("fk_gov_sanctions_decision_id_gov_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["gov_groups.id"],
            name=op.f("fk_gov_sanctions_group_id_gov_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by"],
            ["user_account.id"],
            name=op.f("fk_gov_sanctions_lifted_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gov_sanctions")),
    )
    with op.batch_alter_table("gov_sanctions", schema=None) as batch_op:
        batch_op.create_index("ix_gov_sanction_account", ["account_id"], unique=False)
        batch_op.create_index("ix_gov_sanction_group", ["group_id"], unique=False)


def downgrade() -> None:
    op.execute("UPDATE user_account SET active = false, role = 'reviewer' WHERE role = 'moderator'")
    _role_check(OLD_ROLES)
    with op.batch_alter_table("gov_sanctions", schema=None) as batch_op:
        batch_op.drop_index("ix_gov_sanction_group")
        batch_op.drop_index("ix_gov_sanction_account")

    op.drop_table("gov_sanctions")
    with op.batch_alter_table("gov_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_gov_evidence_complaint")

    op.drop_table("gov_evidence")
    with op.batch_alter_table("gov_appeals", schema=None) as batch_op:
        batch_op.drop_index("ix_gov_appeal_decision")

    op.drop_table("gov_appeals")
    with op.batch_alter_table("gov_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_gov_decision_decided_at")
        batch_op.drop_index("ix_gov_decision_case")

    op.drop_table("gov_decisions")
    with op.batch_alter_table("gov_complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_gov_complaint_case")

    op.drop_table("gov_complaints")
    op.drop_table("gov_registration_controls")
    op.drop_table("gov_notices")
    op.drop_table("gov_content")
    with op.batch_alter_table("gov_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_gov_case_target")
        batch_op.drop_index("ix_gov_case_status_score")

    op.drop_table("gov_cases")
    op.drop_table("gov_groups")
    op.drop_table("gov_accounts")
