"""An employer registered with a self-found job may not have its KvK number yet

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 00:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.alter_column("kvk_number", existing_type=sa.String(length=8), nullable=True)


def downgrade():
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.alter_column("kvk_number", existing_type=sa.String(length=8), nullable=False)
