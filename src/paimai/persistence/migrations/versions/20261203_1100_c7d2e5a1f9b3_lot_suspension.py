"""lots.suspended_at / suspended_from / suspended_reason: a lot suspended (暂缓/中止) and resumed (issue 14)

Revision ID: c7d2e5a1f9b3
Revises: b4e1c9a7d3f2
Create Date: 2026-12-03 11:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import paimai.persistence.types


# revision identifiers, used by Alembic.
revision: str = 'c7d2e5a1f9b3'
down_revision: Union[str, Sequence[str], None] = 'b4e1c9a7d3f2'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lots') as batch:
        batch.add_column(sa.Column('suspended_at', paimai.persistence.types.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('suspended_from', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('suspended_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('lots') as batch:
        batch.drop_column('suspended_reason')
        batch.drop_column('suspended_from')
        batch.drop_column('suspended_at')
