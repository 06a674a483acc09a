"""priority_holders: the priority buyers (优先购买权人) a court registers on a judicial lot (issue 9)

Revision ID: e2a7c4b91d05
Revises: c7d2e5a1f9b3
Create Date: 2026-12-03 11:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import paimai.persistence.types


# revision identifiers, used by Alembic.
revision: str = 'e2a7c4b91d05'
down_revision: Union[str, Sequence[str], None] = 'c7d2e5a1f9b3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'priority_holders',
        sa.Column('id', ID, nullable=False),
        sa.Column('lot_id', ID, nullable=False),
        sa.Column('user_id', ID, nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('basis', sa.String(length=16), nullable=False),
        sa.Column('registered_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_priority_holders_lot_id_lots')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_priority_holders_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_holders')),
        sa.UniqueConstraint('lot_id', 'user_id', name=op.f('uq_priority_holders_lot_id_user_id')),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('priority_holders')
