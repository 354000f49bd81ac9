"""drafts store codes, not texts

Drafts saved before this revision held the similar proposals as rendered rows (title,
supporter count and translated status label) and the matcher's note as translated text.
They now hold the proposals' ids (shown fresh) and the authority rule's key (translated when
shown). The old note cannot be turned back into its key, so it is dropped: a draft waiting
at the program step shows its programs without that one-line hint.

Revision ID: 7c02e83ec87a
Revises: 75578d38f868
Create Date: 2026-11-29 07:00:00.000000
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op


revision: str = '7c02e83ec87a'
down_revision: str | None = '75578d38f868'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

conversation = sa.table(
    'conversation', sa.column('chat_id', sa.BigInteger()), sa.column('draft', sa.JSON())
)


def _codes_only(draft: dict[str, Any]) -> dict[str, Any]:
    new = {key: value for key, value in draft.items() if key not in ('similar', 'match_note')}
    ids = [item['id'] for item in draft.get('similar') or [] if isinstance(item.get('id'), int)]
    if ids:
        new['similar_ids'] = ids
    return new


def _without_codes(draft: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in draft.items() if key not in ('similar_ids', 'match_rule')}


def _rewrite(change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(conversation.c.chat_id, conversation.c.draft)).all()
    for chat_id, draft in rows:
        new = change(draft or {})
        if new != draft:
            connection.execute(
                conversation.update().where(conversation.c.chat_id == chat_id).values(draft=new)
            )


def upgrade() -> None:
    """Apply this revision."""
    _rewrite(_codes_only)


def downgrade() -> None:
    """Revert this revision (the old code reads a draft without similar proposals)."""
    _rewrite(_without_codes)
