"""staff back office: frozen accounts and the staff audit log (issue 14)

Revision ID: a41f5c2e8b07
Revises: 4e8b1c6d2f37
Create Date: 2026-12-03 07:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import paimai.persistence.types


# revision identifiers, used by Alembic.
revision: str = 'a41f5c2e8b07'
down_revision: Union[str, Sequence[str], None] = '4e8b1c6d2f37'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('frozen_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('frozen_reason', sa.Text(), nullable=True))
    op.create_table(
        'staff_actions',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('actor_name', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('object_type', sa.String(length=32), nullable=False),
        sa.Column('object_id', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_staff_actions_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_actions')),
    )
    op.create_index('ix_staff_actions_object', 'staff_actions', ['object_type', 'object_id'], unique=False)
    op.create_index('ix_staff_actions_actor_id', 'staff_actions', ['actor_id', 'id'], unique=False)
    op.create_index(op.f('ix_staff_actions_at'), 'staff_actions', ['at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_staff_actions_at'), table_name='staff_actions')
    op.drop_index('ix_staff_actions_actor_id', table_name='staff_actions')
    op.drop_index('ix_staff_actions_object', table_name='staff_actions')
    op.drop_table('staff_actions')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('frozen_reason')
        batch.drop_column('frozen_at')
