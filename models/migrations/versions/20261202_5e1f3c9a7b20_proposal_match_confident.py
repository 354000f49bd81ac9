"""proposal remembers whether the matcher was confident

Revision ID: 5e1f3c9a7b20
Revises: 5e1d0a7b9c21
Create Date: 2026-11-29 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5e1f3c9a7b20'
down_revision: str | None = '5e1d0a7b9c21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `proposal.match_confident`; proposals sent before it count as not confident."""
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('match_confident', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Drop `proposal.match_confident`."""
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('match_confident')
