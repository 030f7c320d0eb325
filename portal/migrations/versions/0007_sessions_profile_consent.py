"""Server-side sessions; anonymised accounts; the work profile and consent per part

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 18:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_user_session_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_session_token_hash")),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    op.create_table(
        "profile_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column(
            "part",
            sa.Enum(
                "contact_details",
                "strengths",
                "support_needs",
                "work_wishes",
                name="profile_part",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["user_account.id"], name=op.f("fk_profile_consent_worker_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_consent")),
    )
    with op.batch_alter_table("profile_consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_consent_worker_id"), ["worker_id"], unique=False)
    with op.batch_alter_table("worker_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("strengths", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("support_needs", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("work_wishes", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("worker_profile", schema=None) as batch_op:
        batch_op.drop_column("work_wishes")
        batch_op.drop_column("support_needs")
        batch_op.drop_column("strengths")
    with op.batch_alter_table("profile_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_consent_worker_id"))
    op.drop_table("profile_consent")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("anonymised_on")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
