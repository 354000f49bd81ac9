"""submission tally: the per-person count of proposals, kept through /hapusdata

Revision ID: 3f9b2c1d8e4a
Revises: 5e1f3c9a7b20
Create Date: 2026-11-29 08:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '3f9b2c1d8e4a'
down_revision: str | None = '5e1f3c9a7b20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('submissiontally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('period', sa.String(length=30), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'period', name='uq_tally_once')
    )
    with op.batch_alter_table('submissiontally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissiontally_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('submissiontally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissiontally_user_id'))
    op.drop_table('submissiontally')
